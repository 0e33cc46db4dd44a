using System.Text;
using System.Text.Json;
using Bmpmon.Tests.Postgres;
using Bmpmond;
using Bmpmond.Commands;
using Microsoft.Extensions.Logging.Abstractions;
using static Bmpmon.Tests.Decoding.BmpBuilder;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>bmp_quarantine against a real PostgreSQL 15: what could not be decoded is kept whole, and decodes again from the table.</summary>
[Collection(PostgresCollection.Name)]
public sealed class QuarantineTests(SharedPostgres postgres)
{
    [Fact]
    public async Task A_malformed_message_between_two_good_ones_is_quarantined_whole_and_both_good_ones_stored()
    {
        var cs = postgres.CreateDatabase();
        var (stream, broken, offset) = MalformedBetweenGoodOnes();
        using (var daemon = PostgresDaemon(cs))
        {
            await daemon.SendAsync(stream);
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, daemon.Stop());
        }

        Assert.Equal(["10.1.0.0/16|False", "10.2.0.0/16|False"], Rows(cs, "SELECT prefix::text, is_withdrawn FROM bmpmon.routes"));
        var row = Assert.Single(Query(cs, """
            SELECT q.kind, q.reason, q.stream_offset, q.error_offset, q.raw, q.router, q.router_id = r.id, q.time > now() - interval '1 minute'
            FROM bmpmon.bmp_quarantine q JOIN bmpmon.bmp_routers r ON r.address = '127.0.0.1'
            """));
        Assert.Equal("malformed", row[0]);
        Assert.Equal((long)offset, row[2]);
        Assert.Equal(broken, row[4]);
        Assert.StartsWith("127.0.0.1:", (string)row[5]!, StringComparison.Ordinal);
        Assert.Equal(true, row[6]);
        Assert.Equal(true, row[7]);

        // The reason is the decoder's own: message type, error, structure and offset.
        var error = DecodeAgain((byte[])row[4]!);
        Assert.Equal($"route_monitoring: {error.GetProperty("reason").GetString()} in {error.GetProperty("where").GetString()} at offset {error.GetProperty("offset").GetInt32()}", row[1]);
        Assert.Equal(error.GetProperty("offset").GetInt32(), row[3]);
    }

    [Fact]
    public async Task Bytes_that_lose_the_framing_are_quarantined_and_the_messages_before_them_stored()
    {
        var cs = postgres.CreateDatabase();
        byte[] good = [.. PeerUp(Open(23456, MultiprotocolCapability(1, 1)), Open(23456, MultiprotocolCapability(1, 1))), .. Announce([16, 10, 1])];
        byte[] garbage = [9, 0, 0, 0, 40, .. Enumerable.Range(0, 100).Select(i => (byte)i)]; // BMP version 9
        using (var daemon = PostgresDaemon(cs))
        {
            await daemon.SendAsync([.. good, .. garbage]);
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, daemon.Stop());
            Assert.Single(daemon.Logs("framing_lost"));
        }

        Assert.Equal(["10.1.0.0/16|False"], Rows(cs, "SELECT prefix::text, is_withdrawn FROM bmpmon.routes"));
        var row = Assert.Single(Query(cs, "SELECT kind, reason, stream_offset, raw FROM bmpmon.bmp_quarantine"));
        Assert.Equal("framing_lost", row[0]);
        Assert.Contains("bad_version", (string)row[1]!, StringComparison.Ordinal);
        Assert.Equal((long)good.Length, row[2]);
        Assert.Equal(garbage, row[3]);
    }

    [Fact]
    public async Task A_stream_that_ends_inside_a_message_quarantines_the_partial_message()
    {
        var cs = postgres.CreateDatabase();
        byte[] good = [.. PeerUp(Open(23456, MultiprotocolCapability(1, 1)), Open(23456, MultiprotocolCapability(1, 1))), .. Announce([16, 10, 1])];
        var cut = Announce([16, 10, 2])[..30];
        using (var daemon = PostgresDaemon(cs))
        {
            await daemon.SendAsync([.. good, .. cut]);
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, daemon.Stop());
        }

        var row = Assert.Single(Query(cs, "SELECT kind, stream_offset, raw FROM bmpmon.bmp_quarantine"));
        Assert.Equal(["truncated", (long)good.Length, cut], row);
    }

    [Fact]
    public void The_import_command_quarantines_malformed_messages_too()
    {
        var cs = postgres.CreateDatabase();
        var (stream, broken, offset) = MalformedBetweenGoodOnes();
        var file = Path.Combine(Directory.CreateTempSubdirectory("bmpmond-quarantine-").FullName, "malformed.bmp");
        File.WriteAllBytes(file, stream);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, ImportCommand.Import(cs, [file], null, "192.0.2.9", stdout, stderr, NullLogger.Instance));

        Assert.Equal(2, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn"));
        var row = Assert.Single(Query(cs, "SELECT kind, stream_offset, raw, router FROM bmpmon.bmp_quarantine"));
        Assert.Equal(["malformed", (long)offset, broken, "192.0.2.9"], row);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    /// <summary>Peer Up, 10.1/16, a Route Monitoring whose UPDATE claims to run past the message, 10.2/16.</summary>
    private static (byte[] Stream, byte[] Broken, int Offset) MalformedBetweenGoodOnes()
    {
        var peerUp = PeerUp(Open(23456, MultiprotocolCapability(1, 1)), Open(23456, MultiprotocolCapability(1, 1)));
        var first = Announce([16, 10, 1]);
        var broken = Announce([16, 10, 9]);
        broken[6 + 42 + 16] = 0xFF; // the BGP length's high byte
        return ([.. peerUp, .. first, .. broken, .. Announce([16, 10, 2])], broken, peerUp.Length + first.Length);
    }

    private static byte[] Announce(byte[] prefix) =>
        RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)], prefix));

    /// <summary>docs/queries.md "decode a quarantined message again": the raw bytes in a file, through <c>bmpmond decode</c>.</summary>
    private static JsonElement DecodeAgain(byte[] raw)
    {
        var folder = Directory.CreateTempSubdirectory("bmpmond-quarantine-").FullName;
        try
        {
            var file = Path.Combine(folder, "quarantined.bmp");
            File.WriteAllBytes(file, raw);
            var stdout = new MemoryStream();
            var stderr = new StringWriter();
            Cli.Run(["decode", file], stdout, stderr);
            var line = Assert.Single(Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            return JsonDocument.Parse(line).RootElement.GetProperty("error").Clone();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
