using Bmpmon.Core.Wire.Iana;
using Bmpmon.Tests.Postgres;
using Xunit.Abstractions;
using static Bmpmon.Tests.Decoding.BmpBuilder;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>The daemon with BMPMOND_OUTPUT=postgres end to end, against a real PostgreSQL 15.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOutputTests(SharedPostgres postgres, ITestOutputHelper output)
{
    [FixtureFact]
    public async Task Fixture_streams_land_with_the_decoders_counts_and_routes_agree_with_the_history()
    {
        var root = Fixtures.RequireRoot();

        var cs = postgres.CreateDatabase();
        var streams = FixtureStreams.FromCaptures(root).ToList();
        var announced = new Dictionary<string, long>();
        var withdrawn = new Dictionary<string, long>();
        long peerEvents = 0;
        using (var daemon = PostgresDaemon(cs))
        {
            foreach (var (_, payload) in streams)
            {
                await daemon.SendAsync(payload);
                var summary = Summarize(payload);
                foreach (var (family, count) in summary.Nlri)
                {
                    var key = $"{(int)family.Afi}/{(int)family.Safi}";
                    announced[key] = announced.GetValueOrDefault(key) + count.Announced;
                    withdrawn[key] = withdrawn.GetValueOrDefault(key) + count.Withdrawn;
                }

                peerEvents += summary.Messages(BmpMessageType.PeerUpNotification) + summary.Messages(BmpMessageType.PeerDownNotification);
            }

            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, daemon.Stop());
        }

        var rows = Query(cs, "SELECT afi || '/' || safi, count(*) FILTER (WHERE NOT is_withdrawn), count(*) FILTER (WHERE is_withdrawn) FROM bmpmon.route_updates GROUP BY 1");
        var actualAnnounced = rows.ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        var actualWithdrawn = rows.ToDictionary(r => (string)r[0]!, r => (long)r[2]!);
        Assert.Equal(announced.Where(p => p.Value > 0).OrderBy(p => p.Key), actualAnnounced.Where(p => p.Value > 0).OrderBy(p => p.Key));
        Assert.Equal(withdrawn.Where(p => p.Value > 0).OrderBy(p => p.Key), actualWithdrawn.Where(p => p.Value > 0).OrderBy(p => p.Key));
        Assert.Equal(peerEvents, Scalar(cs, "SELECT count(*) FROM bmpmon.peer_events"));
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates WHERE NOT is_withdrawn AND attrs_id IS NOT NULL AND attrs_id NOT IN (SELECT attrs_id FROM bmpmon.path_attributes)"));
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));
        output.WriteLine($"{streams.Count} streams, {actualAnnounced.Values.Sum() + actualWithdrawn.Values.Sum()} route_updates, {Scalar(cs, "SELECT count(*) FROM bmpmon.routes")} routes, {Scalar(cs, "SELECT count(*) FROM bmpmon.path_attributes")} attribute sets");
    }

    [Fact]
    public async Task Add_path_evpn_4_byte_asns_withdrawals_and_peer_down()
    {
        var cs = postgres.CreateDatabase();
        using (var daemon = PostgresDaemon(cs))
        {
            await daemon.SendAsync(SyntheticStream());
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, daemon.Stop());

            // At shutdown the writer says where its time went, with what it committed.
            var writerTime = Assert.Single(daemon.Logs("database_writer_time"));
            Assert.Equal(Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates"), writerTime.GetProperty("routes").GetInt64());
            Assert.True(writerTime.GetProperty("commits").GetInt64() > 0);
            Assert.True(writerTime.GetProperty("state_seconds").GetDouble() > 0);
        }

        // Add-Path: two paths of 10.0.0.0/8 kept apart, one of them withdrawn later.
        var paths = Query(cs, "SELECT path_id, is_withdrawn FROM bmpmon.route_updates WHERE prefix = '10.0.0.0/8' ORDER BY seq");
        Assert.Equal([(1L, false), (2L, false), (2L, true)], paths.Select(r => ((long)r[0]!, (bool)r[1]!)));

        // 4-byte ASNs above 2^31 in as_path (bigint[]).
        Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates_v WHERE prefix = '10.0.0.0/8' AND path_id = 1 AND as_path = ARRAY[65001, 4200000000]::bigint[]"));

        // EVPN MAC/IP advertisement: MAC, ESI, RD, Ethernet tag, IP; no prefix.
        var evpn = Query(cs, "SELECT mac::text, encode(esi, 'hex'), rd, ethernet_tag, host(evpn_ip), prefix IS NULL FROM bmpmon.route_updates WHERE evpn_route_type = 2");
        var row = Assert.Single(evpn);
        Assert.Equal("00:11:22:33:44:55", row[0]);
        Assert.Equal("00010203040506070809", row[1]);
        Assert.Equal((1L << 48) | (1L << 16) | 100, row[2]); // RD type 1, 0.0.0.1:100
        Assert.Equal(7L, row[3]);
        Assert.Equal("192.0.2.77", row[4]);
        Assert.Equal(true, row[5]);

        // Peer Down: every route of the peer withdrawn at the Peer Down time, churn counted.
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn"));
        Assert.Equal(3, Scalar(cs, "SELECT count(*) FROM bmpmon.routes"));
        Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM bmpmon.peer_events WHERE event = 'peer_down' AND reason = 4"));
        Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM bmpmon.bgp_peers WHERE NOT is_up AND last_down_reason = 4"));
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));
    }

    [FixtureFact]
    public async Task PostgreSQL_restarting_in_the_middle_of_a_burst_loses_and_duplicates_nothing()
    {
        var root = Fixtures.RequireRoot();

        using var server = TestPostgres.Start(output);
        var cs = server.CreateDatabase();
        var payload = File.ReadAllBytes(Path.Combine(root, "bmp_play", "bmp.dump"));
        var perCopy = Summarize(payload).Nlri.Values.Sum(c => c.Announced + c.Withdrawn);
        const int Copies = 40;
        using (var daemon = PostgresDaemon(cs))
        {
            var sending = Task.WhenAll(Enumerable.Range(0, Copies).Select(async i =>
            {
                await Task.Delay(i * 25);
                await daemon.SendAsync(payload);
            }));
            await Task.Delay(300);
            server.Restart();
            await sending;
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(60));
            var exitCode = daemon.Stop();
            Assert.True(exitCode == 0, $"exit code {exitCode}; warnings and errors:\n{daemon.Problems()}");
            var failures = daemon.Logs("database_write_failed").Count;
            output.WriteLine($"write failures logged: {failures}");
            Assert.True(failures > 0, "the restart did not hit the burst: nothing was tested");
            Assert.NotEmpty(daemon.Logs("database_recovered"));
        }

        Assert.Equal(perCopy * Copies, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates"));
        Assert.Equal(perCopy * Copies, Scalar(cs, "SELECT count(DISTINCT seq) FROM bmpmon.route_updates"));
    }

    /// <summary>
    /// Peer Up with Add-Path for IPv4 unicast and 4-byte ASNs; two paths of one prefix; an EVPN
    /// MAC/IP route; a withdrawal of path 2; a Peer Down (reason 4, remote closed).
    /// </summary>
    private static byte[] SyntheticStream()
    {
        byte[][] caps = [MultiprotocolCapability(1, 1), MultiprotocolCapability(25, 70), FourOctetAsCapability(65001), AddPathCapability(1, 1, 3)];
        var peerUp = PeerUp(Open(23456, caps), Open(23456, caps));
        byte[] attrs = [.. Origin(), .. AsPath4(65001, 4_200_000_000), .. NextHop(192, 0, 2, 1)];
        byte[] path1 = [0, 0, 0, 1, 8, 10];
        byte[] path2 = [0, 0, 0, 2, 8, 10];
        var announce = RouteMonitoring(Update([], attrs, [.. path1, .. path2]));
        byte[] evpnNlri =
        [
            2, 37,
            0, 1, 0, 0, 0, 1, 0, 100, // RD type 1: 0.0.0.1:100
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, // ESI
            0, 0, 0, 7, // Ethernet tag
            48, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
            32, 192, 0, 2, 77,
            0, 0, 0x11, // label
        ];
        var evpn = RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001), .. MpReach(25, 70, [192, 0, 2, 1], evpnNlri)], []));
        var withdraw = RouteMonitoring(Update(path2, [], []));
        var peerDown = PeerDown(4, []);
        return [.. peerUp, .. announce, .. evpn, .. withdraw, .. peerDown];
    }
}
