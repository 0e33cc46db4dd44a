using System.Buffers.Binary;
using Bmpmon.Core.Capture;

namespace Bmpmon.Tests.Replay;

/// <summary>
/// <c>bmpmond replay</c> against a recording collector on loopback: every stream arrives byte for byte
/// on its own connection, copies and loops multiply it, the rate paces it, failures are counted.
/// </summary>
public sealed class ReplayCommandTests : IDisposable
{
    private const int Timeout = 90_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-replay-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [FixtureTheory(Timeout = Timeout)]
    [InlineData("netgauze/evpn__evpn.pcap", 2)]
    [InlineData("pmacct/208-BMP-mem-leak-test__bmp-multi-sources-route-monitoring.pcap", 11)]
    [InlineData("netgauze/pcap-reader__data__bmp.pcapng", 4)]
    public async Task Each_capture_stream_arrives_exactly_on_its_own_connection(string fixture, int expectedStreams)
    {
        var root = Fixtures.RequireRoot();

        var file = Path.Combine(root, fixture);
        var streams = CaptureReader.Read(File.ReadAllBytes(file)).Streams;
        Assert.Equal(expectedStreams, streams.Count);
        await using var collector = new RecordingCollector();

        var run = await ReplayRun.StartAsync(file, "--to", collector.Target);

        Assert.Equal(0, run.Code);
        Assert.Equal(string.Empty, run.Stderr);
        AssertSameStreams(streams.Select(s => s.Payload), collector.Received);
        Assert.Equal(streams.Count, run.Number("connections"));
        Assert.Equal(streams.Count, run.Number("streams"));
        Assert.Equal(streams.Sum(s => (long)s.Payload.Length), run.Number("bytes"));
        Assert.Equal(streams.Sum(s => CountMessages(s.Payload)), run.Number("messages"));
        Assert.Equal(0, run.Number("failed_connections"));
        Assert.Equal(0, run.Report!.Value.GetProperty("errors").GetArrayLength());
    }

    [Fact(Timeout = Timeout)]
    public async Task Report_is_one_object_with_the_promised_keys()
    {
        var file = WriteRaw("small.bmp", Messages(5));
        await using var collector = new RecordingCollector();

        var run = await ReplayRun.StartAsync(file, "--to", collector.Target);

        Assert.Equal(0, run.Code);
        Assert.Equal(
            ["connections", "streams", "messages", "bytes", "seconds", "messages_per_second", "failed_connections", "errors"],
            run.Report!.Value.EnumerateObject().Select(p => p.Name));
        Assert.Equal(5, run.Number("messages"));
        Assert.True(run.Report.Value.GetProperty("seconds").GetDouble() > 0);
        Assert.True(run.Report.Value.GetProperty("messages_per_second").GetDouble() > 0);
    }

    [FixtureFact(Timeout = Timeout)]
    public async Task Connections_option_sends_every_stream_once_per_copy()
    {
        var root = Fixtures.RequireRoot();

        var file = Path.Combine(root, "netgauze", "evpn__evpn.pcap");
        var streams = CaptureReader.Read(File.ReadAllBytes(file)).Streams;
        await using var collector = new RecordingCollector();

        var run = await ReplayRun.StartAsync(file, "--to", collector.Target, "--connections", "3");

        Assert.Equal(0, run.Code);
        var expected = Enumerable.Range(0, 3).SelectMany(_ => streams.Select(s => s.Payload));
        AssertSameStreams(expected, collector.Received);
        Assert.Equal(3 * streams.Count, run.Number("connections"));
        Assert.Equal(streams.Count, run.Number("streams"));
        Assert.Equal(3 * streams.Sum(s => CountMessages(s.Payload)), run.Number("messages"));
    }

    [FixtureFact(Timeout = Timeout)]
    public async Task Loop_option_repeats_each_stream_back_to_back_on_the_same_connection()
    {
        var root = Fixtures.RequireRoot();

        var file = Path.Combine(root, "netgauze", "evpn__evpn.pcap");
        var streams = CaptureReader.Read(File.ReadAllBytes(file)).Streams;
        await using var collector = new RecordingCollector();

        var run = await ReplayRun.StartAsync(file, "--to", collector.Target, "--loop", "2");

        Assert.Equal(0, run.Code);
        AssertSameStreams(streams.Select(s => (byte[])[.. s.Payload, .. s.Payload]), collector.Received);
        Assert.Equal(2 * streams.Sum(s => (long)s.Payload.Length), run.Number("bytes"));
    }

    [Theory(Timeout = Timeout)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(20_001)]
    public async Task Loops_of_a_short_stream_are_exact_whatever_the_block_size(int loop)
    {
        // A short stream in a long loop is sent as blocks of several copies: the remainder must be right too.
        var stream = Messages(3);
        var file = WriteRaw("short.bmp", stream);
        await using var collector = new RecordingCollector();

        var run = await ReplayRun.StartAsync(file, "--to", collector.Target, "--loop", loop.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, run.Code);
        var received = Assert.Single(collector.Received);
        Assert.Equal(Repeat(stream, loop), received);
        Assert.Equal(3L * loop, run.Number("messages"));
    }

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stream_ending_inside_a_message_is_sent_as_it_is(bool paced)
    {
        var whole = Messages(4);
        byte[] stream = [.. whole, .. Message(40, 2)[..17]];
        var file = WriteRaw("truncated.bmp", stream);
        await using var collector = new RecordingCollector();

        string[] args = paced ? [file, "--to", collector.Target, "--loop", "2", "--rate", "1000"] : [file, "--to", collector.Target, "--loop", "2"];
        var run = await ReplayRun.StartAsync(args);

        Assert.Equal(0, run.Code);
        Assert.Equal(Repeat(stream, 2), Assert.Single(collector.Received));
        Assert.Equal(8, run.Number("messages"));
        Assert.Equal(2 * stream.Length, run.Number("bytes"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Rate_paces_the_messages_over_all_connections()
    {
        // 40 messages x 2 connections = 80 messages at 200/s: message 39 of each connection (100/s each)
        // leaves no earlier than 0.39 s after the start. Only a lower bound: a loaded machine is slower.
        var stream = Messages(40);
        var file = WriteRaw("paced.bmp", stream);
        await using var collector = new RecordingCollector();

        var run = await ReplayRun.StartAsync(file, "--to", collector.Target, "--rate", "200", "--connections", "2");

        Assert.Equal(0, run.Code);
        Assert.True(run.Elapsed >= TimeSpan.FromSeconds(0.3), $"took {run.Elapsed}");
        Assert.True(run.Report!.Value.GetProperty("seconds").GetDouble() >= 0.3);
        Assert.Equal(80, run.Number("messages"));
        Assert.All(collector.Received, r => Assert.Equal(stream, r));
        Assert.Equal(2, collector.Received.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_refused_connection_is_counted_and_exits_1()
    {
        var file = WriteRaw("refused.bmp", Messages(3));
        var port = FreePort();

        var run = await ReplayRun.StartAsync(file, "--to", $"127.0.0.1:{port}", "--connections", "2");

        Assert.Equal(1, run.Code);
        Assert.Equal(2, run.Number("connections"));
        Assert.Equal(2, run.Number("failed_connections"));
        Assert.Equal(0, run.Number("bytes"));
        var errors = run.Report!.Value.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("connection refused", e, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("refused.bmp", e, StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_reset_connection_fails_alone()
    {
        var stream = Messages(200);
        var file = WriteRaw("reset.bmp", stream);
        await using var collector = new RecordingCollector(resetConnections: 1);

        var run = await ReplayRun.StartAsync(file, "--to", collector.Target, "--connections", "4");

        Assert.Equal(1, run.Code);
        Assert.Equal(4, run.Number("connections"));
        Assert.Equal(1, run.Number("failed_connections"));
        Assert.Contains("connection reset by the collector", Assert.Single(run.Report!.Value.GetProperty("errors").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(3, collector.Received.Count);
        Assert.All(collector.Received, r => Assert.Equal(stream, r));
    }

    [Fact(Timeout = Timeout)]
    public async Task Localhost_reaches_an_ipv4_loopback_collector()
    {
        var stream = Messages(2);
        var file = WriteRaw("localhost.bmp", stream);
        await using var collector = new RecordingCollector();

        var run = await ReplayRun.StartAsync(file, "--to", $"localhost:{collector.Port}");

        Assert.Equal(0, run.Code);
        Assert.Equal(stream, Assert.Single(collector.Received));
    }

    [Fact(Timeout = Timeout)]
    public async Task Several_files_are_replayed_together()
    {
        var first = Messages(2);
        var second = Messages(6);
        await using var collector = new RecordingCollector();

        var run = await ReplayRun.StartAsync(WriteRaw("a.bmp", first), WriteRaw("b.bmp", second), "--to", collector.Target);

        Assert.Equal(0, run.Code);
        AssertSameStreams([first, second], collector.Received);
        Assert.Equal(8, run.Number("messages"));
    }

    [Theory(Timeout = Timeout)]
    [InlineData(new[] { "x.bmp" }, "--to HOST:PORT is missing")]
    [InlineData(new[] { "--to", "127.0.0.1:5" }, "no input file")]
    [InlineData(new[] { "x.bmp", "--to", "127.0.0.1" }, "expected HOST:PORT")]
    [InlineData(new[] { "x.bmp", "--to", "127.0.0.1:0" }, "port must be")]
    [InlineData(new[] { "x.bmp", "--to", "127.0.0.1:70000" }, "port must be")]
    [InlineData(new[] { "x.bmp", "--to", "collector.example:11019" }, "HOST must be")]
    [InlineData(new[] { "x.bmp", "--to", "10.1:11019" }, "HOST must be")]
    [InlineData(new[] { "x.bmp", "--to", "::1:11019" }, "[ADDRESS]:PORT")]
    [InlineData(new[] { "x.bmp", "--to", "[127.0.0.1]:11019" }, "HOST must be")]
    [InlineData(new[] { "x.bmp", "--to" }, "--to needs a value")]
    [InlineData(new[] { "x.bmp", "--to", "127.0.0.1:5", "--rate", "0" }, "--rate '0'")]
    [InlineData(new[] { "x.bmp", "--to", "127.0.0.1:5", "--rate", "-3" }, "--rate '-3'")]
    [InlineData(new[] { "x.bmp", "--to", "127.0.0.1:5", "--connections", "0" }, "--connections '0'")]
    [InlineData(new[] { "x.bmp", "--to", "127.0.0.1:5", "--loop", "two" }, "--loop 'two'")]
    [InlineData(new[] { "x.bmp", "--to", "127.0.0.1:5", "--port", "0" }, "--port '0'")]
    [InlineData(new[] { "x.bmp", "--to", "127.0.0.1:5", "--frob" }, "unknown option '--frob'")]
    [InlineData(new[] { "/nonexistent/x.bmp", "--to", "127.0.0.1:5" }, "/nonexistent/x.bmp: cannot read")]
    public async Task Bad_usage_exits_2_and_names_the_problem(string[] args, string why)
    {
        var run = await ReplayRun.StartAsync(args);

        Assert.Equal(2, run.Code);
        Assert.Null(run.Report);
        Assert.Contains(why, run.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("bmpmond replay: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task An_empty_file_is_bad_usage()
    {
        var run = await ReplayRun.StartAsync(WriteRaw("empty.bmp", []), "--to", "127.0.0.1:5");

        Assert.Equal(2, run.Code);
        Assert.Contains("empty.bmp: no BMP stream found", run.Stderr, StringComparison.Ordinal);
    }

    internal static byte[] Message(int length, byte type)
    {
        var m = new byte[length];
        m[0] = 3;
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(1), (uint)length);
        m[5] = type;
        for (var i = 6; i < length; i++)
        {
            m[i] = (byte)(i * 7);
        }

        return m;
    }

    /// <summary><paramref name="count"/> framing-valid BMP messages of varied lengths.</summary>
    internal static byte[] Messages(int count) => [.. Enumerable.Range(0, count).SelectMany(i => Message(6 + (i * 13 % 50), (byte)(i % 7)))];

    private static byte[] Repeat(byte[] stream, int times) => [.. Enumerable.Repeat(stream, times).SelectMany(s => s)];

    /// <summary>Whole messages by the common headers' lengths, counted here independently of the tool.</summary>
    private static long CountMessages(byte[] payload)
    {
        var count = 0;
        var offset = 0;
        while (payload.Length - offset >= 6 && BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(offset + 1)) is var length && length >= 6 && length <= payload.Length - offset)
        {
            offset += (int)length;
            count++;
        }

        return count;
    }

    private static void AssertSameStreams(IEnumerable<byte[]> expected, IReadOnlyList<byte[]> received) =>
        Assert.Equal(expected.Select(Convert.ToHexString).Order(StringComparer.Ordinal), received.Select(Convert.ToHexString).Order(StringComparer.Ordinal));

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private string WriteRaw(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
