using System.Buffers.Binary;
using Bmpmon.Tests.Operations;
using Bmpmon.Tests.Postgres;
using Bmpmond.Storage.Jobs;
using static Bmpmon.Tests.Decoding.BmpBuilder;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>
/// Sync generations against a real PostgreSQL 15: a router that reconnects (collector restart or
/// new session, no Peer Down ever seen) re-sends its table; End-of-RIB, or the resync timeout
/// without it, withdraws what was not re-announced, and only that.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ResyncTests(SharedPostgres postgres)
{
    private const uint Session1 = 1_700_000_000;
    private const uint Session2 = 1_700_003_600;
    private const uint PostPolicy = 0x40;

    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    [Fact]
    public async Task After_a_collector_restart_end_of_rib_withdraws_only_what_was_not_re_announced()
    {
        var cs = postgres.CreateDatabase();
        using (var daemon = PostgresDaemon(cs))
        {
            await daemon.SendAsync([.. PeerUpAt(Session1), .. Announce(Session1 + 1, A, B, C), .. EndOfRibV4(Session1 + 2)]);
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, daemon.Stop());
        }

        Assert.Equal(3, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn AND sync_gen = 1"));

        // The collector restarted: a new daemon, the router connects again; no Peer Down was ever seen.
        using (var daemon = PostgresDaemon(cs))
        {
            await daemon.SendAsync([.. PeerUpAt(Session2), .. Announce(Session2 + 5, A, B), .. EndOfRibV4(Session2 + 9)]);
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, daemon.Stop());
        }

        var routes = Query(cs, "SELECT prefix::text, is_withdrawn, withdrawn_at, churn, sync_gen, last_change FROM bmpmon.routes ORDER BY prefix");
        Assert.Equal(["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"], routes.Select(r => (string)r[0]!));

        // A and B: announced in both generations, never withdrawn, no churn, unchanged since session 1.
        foreach (var row in routes.Take(2))
        {
            Assert.Equal(false, row[1]);
            Assert.Null(row[2]);
            Assert.Equal(0L, row[3]);
            Assert.Equal(2, row[4]);
            Assert.Equal(Epoch.AddSeconds(Session1 + 1), row[5]);
        }

        // C: withdrawn at the End-of-RIB time of session 2, one change.
        Assert.Equal(true, routes[2][1]);
        Assert.Equal(Epoch.AddSeconds(Session2 + 9), routes[2][2]);
        Assert.Equal(1L, routes[2][3]);
        Assert.Equal(1, routes[2][4]);
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates WHERE is_withdrawn"));

        // Convergence per generation: start = Peer Up time, end = End-of-RIB time.
        var syncs = Rows(cs, "SELECT generation, rib, afi, safi, sync_start, sync_end, routes_withdrawn, ended_by FROM bmpmon.peer_sync ORDER BY generation");
        Assert.Equal(
            [
                $"1|0|1|1|{Stamp(Session1)}|{Stamp(Session1 + 2)}|0|end_of_rib",
                $"2|0|1|1|{Stamp(Session2)}|{Stamp(Session2 + 9)}|1|end_of_rib",
            ],
            syncs);
        Assert.Equal(2, Scalar(cs, "SELECT sync_gen FROM bmpmon.bgp_peers"));

        // docs/queries.md: the current generation's convergence, 9 s from Peer Up to End-of-RIB, one stale route.
        var convergence = Assert.Single(QueryRecipeTests.Run(cs, QueryRecipeTests.Recipes()["sync-convergence"]));
        Assert.Equal((TimeSpan.FromSeconds(9), 1L, "end_of_rib"), ((TimeSpan)convergence[8]!, (long)convergence[9]!, (string)convergence[10]!));

        // The history explains the current state (the reconciliation job's view agrees).
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));
    }

    [Fact]
    public async Task Families_and_ribs_are_swept_independently_by_their_own_end_of_rib()
    {
        var cs = postgres.CreateDatabase();
        using var daemon = PostgresDaemon(cs);
        await daemon.SendAsync(
        [
            .. PeerUpAt(Session1),
            .. Announce(Session1, A, B),
            .. AnnounceV6(Session1, V6a, V6b),
            .. Announce(Session1, PostPolicy, A, B),
            .. EndOfRibV4(Session1),
            .. EndOfRibV6(Session1),
            .. EndOfRibV4(Session1, PostPolicy),
        ]);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        const string Current = "SELECT rib, prefix::text, is_withdrawn FROM bmpmon.routes";

        // The router reconnects: only A, V6a and post-policy A come back, and only the pre-policy IPv4 RIB ends.
        using var session = await daemon.OpenAndSendAsync([.. PeerUpAt(Session2), .. Announce(Session2, A), .. AnnounceV6(Session2, V6a), .. Announce(Session2, PostPolicy, A), .. EndOfRibV4(Session2 + 1)]);
        string[] afterV4 = ["0|10.1.0.0/16|False", "0|10.2.0.0/16|True", "0|2001:db8:1::/48|False", "0|2001:db8:2::/48|False", "1|10.1.0.0/16|False", "1|10.2.0.0/16|False"];
        Assert.True(await JobsDaemon.EventuallyAsync(() => Rows(cs, Current).SequenceEqual(afterV4), TimeSpan.FromSeconds(10)), string.Join("\n", Rows(cs, Current)));

        // The IPv6 End-of-RIB sweeps IPv6 only.
        await session.SendAsync(EndOfRibV6(Session2 + 2));
        string[] afterV6 = ["0|10.1.0.0/16|False", "0|10.2.0.0/16|True", "0|2001:db8:1::/48|False", "0|2001:db8:2::/48|True", "1|10.1.0.0/16|False", "1|10.2.0.0/16|False"];
        Assert.True(await JobsDaemon.EventuallyAsync(() => Rows(cs, Current).SequenceEqual(afterV6), TimeSpan.FromSeconds(10)), string.Join("\n", Rows(cs, Current)));

        // The post-policy IPv4 End-of-RIB sweeps the post-policy RIB only.
        await session.SendAsync(EndOfRibV4(Session2 + 3, PostPolicy));
        string[] afterPost = ["0|10.1.0.0/16|False", "0|10.2.0.0/16|True", "0|2001:db8:1::/48|False", "0|2001:db8:2::/48|True", "1|10.1.0.0/16|False", "1|10.2.0.0/16|True"];
        Assert.True(await JobsDaemon.EventuallyAsync(() => Rows(cs, Current).SequenceEqual(afterPost), TimeSpan.FromSeconds(10)), string.Join("\n", Rows(cs, Current)));
        session.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, daemon.Stop());

        Assert.Equal(
            ["1|0|1|1|end_of_rib|0", "1|0|2|1|end_of_rib|0", "1|1|1|1|end_of_rib|0", "2|0|1|1|end_of_rib|1", "2|0|2|1|end_of_rib|1", "2|1|1|1|end_of_rib|1"],
            Rows(cs, "SELECT generation, rib, afi, safi, ended_by, routes_withdrawn FROM bmpmon.peer_sync"));
        Assert.Equal(0, Scalar(cs, "SELECT sum(churn) FROM bmpmon.routes WHERE NOT is_withdrawn"));
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));
    }

    [Fact]
    public async Task Without_end_of_rib_the_resync_timeout_sweeps_stale_routes()
    {
        var cs = postgres.CreateDatabase();
        using var daemon = new JobsDaemon(cs, PeriodicJobTests.Fast, ("BMPMOND_RESYNC_TIMEOUT", "2s"));
        await daemon.SendAsync([.. PeerUpAt(Session1), .. Announce(Session1, A, B, C)]);
        Assert.True(
            await JobsDaemon.EventuallyAsync(() => Scalar(cs, "SELECT count(*) FROM bmpmon.peer_sync") == 0 && Scalar(cs, "SELECT count(*) FROM bmpmon.routes") == 3, TimeSpan.FromSeconds(10)),
            daemon.Logs());

        // A first generation swept nothing (a new peer has no stale routes); wait for the job to be done with it.
        Assert.True(await JobsDaemon.EventuallyAsync(() => Scalar(cs, "SELECT count(*) FROM bmpmon.bgp_peers WHERE sync_pending") == 0, TimeSpan.FromSeconds(15)),
            string.Join("\n", Rows(cs, "SELECT name, ok, result FROM bmpmon.jobs").Concat(Rows(cs, "SELECT sync_gen, sync_start, sync_arrival, sync_pending, now() FROM bmpmon.bgp_peers"))));
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE is_withdrawn"));

        var reconnect = DateTime.UtcNow;
        await daemon.SendAsync([.. PeerUpAt(Session2), .. Announce(Session2, A, B)]);
        Assert.True(
            await JobsDaemon.EventuallyAsync(() => Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE is_withdrawn") == 1, TimeSpan.FromSeconds(20)),
            daemon.Logs() + string.Join("\n", Rows(cs, "SELECT name, result FROM bmpmon.jobs")));
        Assert.True(DateTime.UtcNow - reconnect >= TimeSpan.FromSeconds(2), "swept before the timeout");

        var c = Assert.Single(Query(cs, "SELECT prefix::text, withdrawn_at, churn FROM bmpmon.routes WHERE is_withdrawn"));
        Assert.Equal("10.3.0.0/16", c[0]);
        Assert.Equal(Epoch.AddSeconds(Session2 + 2), c[1]);
        Assert.Equal(1L, c[2]);
        Assert.Equal(0, Scalar(cs, "SELECT sum(churn) FROM bmpmon.routes WHERE NOT is_withdrawn"));
        Assert.Equal(
            [$"2|0|1|1|{Stamp(Session2)}|{Stamp(Session2 + 2)}|1|timeout"],
            Rows(cs, "SELECT generation, rib, afi, safi, sync_start, sync_end, routes_withdrawn, ended_by FROM bmpmon.peer_sync"));
        Assert.Contains("stale routes withdrawn", (string)Query(cs, "SELECT result FROM bmpmon.jobs WHERE name = 'resync'")[0][0]!, StringComparison.Ordinal);
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));
        Assert.Equal(0, daemon.Stop());
    }

    private static readonly byte[] A = [16, 10, 1];
    private static readonly byte[] B = [16, 10, 2];
    private static readonly byte[] C = [16, 10, 3];
    private static readonly byte[] V6a = [48, 0x20, 0x01, 0x0d, 0xb8, 0, 1];
    private static readonly byte[] V6b = [48, 0x20, 0x01, 0x0d, 0xb8, 0, 2];

    /// <summary>A timestamptz as <see cref="StorageTestSupport.Rows"/> prints it.</summary>
    private static string Stamp(uint seconds) => Convert.ToString(Epoch.AddSeconds(seconds), System.Globalization.CultureInfo.InvariantCulture)!;

    private static byte[] PeerUpAt(uint seconds)
    {
        byte[][] caps = [MultiprotocolCapability(1, 1), MultiprotocolCapability(2, 1), FourOctetAsCapability(65001)];
        return At(PeerUp(Open(23456, caps), Open(23456, caps)), seconds);
    }

    private static byte[] Announce(uint seconds, params byte[][] prefixes) => Announce(seconds, 0, prefixes);

    private static byte[] Announce(uint seconds, uint flags, params byte[][] prefixes)
    {
        byte[] attrs = [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)];
        return At(RouteMonitoring(Update([], attrs, [.. prefixes.SelectMany(p => p)]), (byte)flags), seconds);
    }

    private static byte[] AnnounceV6(uint seconds, params byte[][] prefixes)
    {
        byte[] nextHop = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        byte[] attrs = [.. Origin(), .. AsPath4(65001, 65002), .. MpReach(2, 1, nextHop, [.. prefixes.SelectMany(p => p)])];
        return At(RouteMonitoring(Update([], attrs, [])), seconds);
    }

    /// <summary>RFC 4724 s2: an empty UPDATE is the IPv4 unicast End-of-RIB.</summary>
    private static byte[] EndOfRibV4(uint seconds, uint flags = 0) => At(RouteMonitoring(Update([], [], []), (byte)flags), seconds);

    /// <summary>RFC 4724 s2: an MP_UNREACH_NLRI with no NLRI is the End-of-RIB of its family.</summary>
    private static byte[] EndOfRibV6(uint seconds) => At(RouteMonitoring(Update([], MpUnreach(2, 1, []), [])), seconds);

    /// <summary>Sets the per-peer header's timestamp (RFC 7854 s4.2: seconds at offset 34 of the header, after the 6-byte common header).</summary>
    private static byte[] At(byte[] message, uint seconds)
    {
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(6 + 34), seconds);
        return message;
    }
}
