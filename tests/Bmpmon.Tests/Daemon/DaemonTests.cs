using System.Text;
using Bmpmon.Core.Capture;
using Bmpmond;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// The daemon end to end over loopback: what it writes for a replayed stream equals what
/// <c>bmpmond decode --routes</c> gives for the same bytes, whatever the TCP segmentation, with many
/// routers at once, with broken routers beside good ones, with an allow-list, and across shutdown.
/// </summary>
public sealed class DaemonTests(ITestOutputHelper output)
{
    [FixtureFact]
    public async Task Every_fixture_stream_replayed_gives_what_decode_routes_gives()
    {
        var root = Fixtures.RequireRoot();

        var streams = FixtureStreams.FromCaptures(root).ToList();
        using var daemon = new TestDaemon();
        var expected = new List<string>();
        foreach (var (name, payload) in streams)
        {
            await daemon.SendAsync(payload);
            expected.AddRange(DecodeRoutes(payload));
        }

        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, daemon.Stop());
        var actual = daemon.RouteLines();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
        output.WriteLine($"{streams.Count} streams, {actual.Count} routes identical to decode --routes");
    }

    [FixtureFact]
    public async Task Random_tcp_segment_sizes_change_nothing()
    {
        var root = Fixtures.RequireRoot();

        var payload = FixtureStreams.FromCaptures(root).Select(s => s.Payload).OrderByDescending(p => p.Length).First();
        var random = new Random(4271);
        using var daemon = new TestDaemon();
        await daemon.SendAsync(payload, () => random.Next(1, 1500));
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        Assert.Equal(DecodeRoutes(payload), daemon.RouteLines());
    }

    [FixtureFact]
    public async Task Two_hundred_routers_at_once_each_keep_their_routes_in_order()
    {
        var root = Fixtures.RequireRoot();

        var payload = File.ReadAllBytes(Path.Combine(root, "bmp_play", "bmp.dump"));
        var expected = DecodeRoutes(payload);
        using var daemon = new TestDaemon();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => daemon.SendAsync(payload)));
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, daemon.Stop());

        var lines = File.ReadLines(daemon.OutputPath).Where(l => l.Contains("\"family\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Count * 200, lines.Count);
        var byRouter = lines.GroupBy(l => l[..l.IndexOf("\",", StringComparison.Ordinal)]).ToList();
        Assert.Equal(200, byRouter.Count);
        Assert.All(byRouter, router => Assert.Equal(expected, router.Select(StripRouter).ToList()));
        Assert.Equal(200, daemon.Logs("router_connected").Count);
    }

    [FixtureFact]
    public async Task Garbage_router_is_closed_and_logged_and_a_good_router_beside_it_is_unaffected()
    {
        var root = Fixtures.RequireRoot();

        var payload = File.ReadAllBytes(Path.Combine(root, "bmp_play", "bmp.dump"));
        var garbage = new byte[4096];
        new Random(1).NextBytes(garbage);
        garbage[0] = 9;
        using var daemon = new TestDaemon();
        await Task.WhenAll(daemon.SendAsync(garbage), daemon.SendAsync(payload));
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        Assert.Equal(DecodeRoutes(payload), daemon.RouteLines());
        var lost = Assert.Single(daemon.Logs("framing_lost"));
        Assert.Equal("bad_version", lost.GetProperty("reason").GetString());
        Assert.Equal("ERROR", lost.GetProperty("level").GetString());
    }

    [FixtureFact]
    public async Task Router_that_disconnects_inside_a_message_keeps_everything_before_it()
    {
        var root = Fixtures.RequireRoot();

        var payload = File.ReadAllBytes(Path.Combine(root, "bmp_play", "bmp.dump"));
        var cut = payload[..(payload.Length / 2)];
        using var daemon = new TestDaemon();
        await daemon.SendAsync(cut);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        // Everything up to the last whole message is there; the broken tail is logged.
        var whole = FixtureStreams.Messages(cut).Select(m => m.Message).ToList().Sum(m => m.Length);
        Assert.Equal(DecodeRoutes(cut[..whole]), daemon.RouteLines());
        Assert.Single(daemon.Logs("framing_lost"));
        Assert.Single(daemon.Logs("router_disconnected"));
    }

    [FixtureFact]
    public async Task Malformed_message_is_one_error_line_with_context_and_the_session_goes_on()
    {
        var root = Fixtures.RequireRoot();

        var messages = FixtureStreams.Messages(Path.Combine(root, "bmp_play", "bmp.dump")).Select(m => m.Message).ToList();
        var broken = (byte[])messages.First(m => m[5] == 0 && m.Length > 100).Clone();
        broken[6 + 42 + 16] = 0xFF; // the BGP length's high byte: the UPDATE now claims to run past the message
        var stream = messages.Take(10).Append(broken).Concat(messages.Skip(10)).SelectMany(m => m).ToArray();
        using var daemon = new TestDaemon();
        await daemon.SendAsync(stream);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        var error = Assert.Single(daemon.Logs("malformed_message"));
        Assert.Equal("route_monitoring", error.GetProperty("message_type").GetString());
        Assert.StartsWith(Convert.ToHexStringLower(broken[..60]), error.GetProperty("first_bytes_hex").GetString());
        Assert.True(error.GetProperty("stream_offset").GetInt64() > 0);
        Assert.Equal(DecodeRoutes(messages.SelectMany(m => m).ToArray()).Count, daemon.RouteLines().Count);
    }

    [FixtureFact]
    public async Task A_flood_of_malformed_messages_is_logged_up_to_the_budget_and_the_rest_counted()
    {
        var root = Fixtures.RequireRoot();

        var messages = FixtureStreams.Messages(Path.Combine(root, "bmp_play", "bmp.dump")).Select(m => m.Message).ToList();
        var broken = (byte[])messages.First(m => m[5] == 0 && m.Length > 100).Clone();
        broken[6 + 42 + 16] = 0xFF;
        using var daemon = new TestDaemon();
        using var router = await daemon.OpenAndSendAsync(Enumerable.Repeat(broken, 30).SelectMany(m => m).ToArray());
        await Task.Delay(2500);
        daemon.Stop();

        var logged = daemon.Logs("malformed_message").Count;
        var suppressed = daemon.Logs("malformed_messages_suppressed").Sum(l => l.GetProperty("count").GetInt64());
        Assert.True(logged <= 20 * 2, $"{logged} malformed_message lines");
        Assert.Equal(30, logged + suppressed);
        Assert.True(suppressed > 0);
    }

    [Fact]
    public async Task Allow_list_refuses_other_sources_and_logs_their_address()
    {
        using var daemon = new TestDaemon(("BMPMOND_ALLOWED_ROUTERS", "192.0.2.0/24, 2001:db8::/32"));
        await daemon.SendAsync([3, 0, 0, 0, 6, 4]);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(5));
        daemon.Stop();

        var refused = Assert.Single(daemon.Logs("router_refused"));
        Assert.Equal("127.0.0.1", refused.GetProperty("address").GetString());
        Assert.Empty(daemon.Logs("router_connected"));
    }

    [Fact]
    public async Task Sessions_beyond_the_limit_are_refused_and_logged()
    {
        using var daemon = new TestDaemon(("BMPMOND_MAX_SESSIONS", "2"));
        using var first = await daemon.OpenAndSendAsync([3, 0, 0, 0, 6, 4]);
        using var second = await daemon.OpenAndSendAsync([3, 0, 0, 0, 6, 4]);
        await WaitUntil(() => daemon.Host.Routers.Count == 2);
        using var third = await daemon.OpenAndSendAsync([3, 0, 0, 0, 6, 4]);

        Assert.True(await ClosedByDaemon(third));
        Assert.Equal(2, daemon.Host.Routers.Count);
        daemon.Stop();
        var refused = Assert.Single(daemon.Logs("router_refused"));
        Assert.Contains("BMPMOND_MAX_SESSIONS", refused.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Message_longer_than_the_limit_loses_framing_and_closes_only_that_session()
    {
        using var daemon = new TestDaemon(("BMPMOND_MAX_MESSAGE_BYTES", "65587"));
        byte[] tooLong = [3, 0, 0x10, 0, 0, 0]; // 1 MiB announced
        using var router = await daemon.OpenAndSendAsync(tooLong);

        Assert.True(await ClosedByDaemon(router));
        daemon.Stop();
        var lost = Assert.Single(daemon.Logs("framing_lost"));
        Assert.Equal("bad_length", lost.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Shutdown_in_the_middle_of_a_burst_loses_nothing_already_read()
    {
        var table = Bmpmon.Bench.SyntheticTable.Build(300_000, 0);
        using var daemon = new TestDaemon();
        var sending = daemon.SendAsync(table, () => 16 * 1024, close: false);

        // In the middle: the session is up and has read a while (a loaded machine takes longer to accept it).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && daemon.Host.Routers.Sessions.Count == 0)
        {
            await Task.Delay(20);
        }

        await Task.Delay(300);

        var session = Assert.Single(daemon.Host.Routers.Sessions);
        Assert.Equal(0, daemon.Stop());
        await Task.WhenAny(sending, Task.Delay(5000));

        // Every route of every message the daemon read and decoded is in the output.
        var decoded = session.Stats.Summary.Nlri.Values.Sum(c => c.Announced + c.Withdrawn);
        var written = File.ReadLines(daemon.OutputPath).Count(l => l.Contains("\"family\"", StringComparison.Ordinal));
        output.WriteLine($"decoded {decoded} routes before the shutdown, wrote {written}");
        Assert.True(decoded > 0);
        Assert.Equal(decoded, written);
        Assert.Single(daemon.Logs("shutdown_complete"));
    }

    [FixtureFact]
    public async Task Route_stats_are_logged_per_router()
    {
        var root = Fixtures.RequireRoot();

        var payload = File.ReadAllBytes(Path.Combine(root, "bmp_play", "bmp.dump"));
        using var daemon = new TestDaemon();
        using var router = await daemon.OpenAndSendAsync(payload);
        await Task.Delay(1500);
        daemon.Stop();

        var stats = daemon.Logs("route_stats").First();
        Assert.True(stats.GetProperty("routes_received").GetInt64() > 0);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, stats.GetProperty("families").ValueKind);
    }

    /// <summary>True when the daemon closes the connection (FIN, or RST because our bytes were unread) within 10 s.</summary>
    private static async Task<bool> ClosedByDaemon(System.Net.Sockets.Socket socket)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[16]).WaitAsync(TimeSpan.FromSeconds(10)) == 0;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return true;
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }

    private static List<string> DecodeRoutes(byte[] payload)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, payload);
            var stdout = new MemoryStream();
            Cli.Run(["decode", "--routes", file], stdout, new StringWriter());
            return Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(StripRouter).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string StripRouter(string line)
    {
        var end = line.IndexOf("\",", line.IndexOf("\"router\":\"", StringComparison.Ordinal) + 10, StringComparison.Ordinal);
        return "{" + line[(end + 2)..];
    }
}
