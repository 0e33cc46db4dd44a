using System.Net;
using Bmpmon.Core.Decoding;
using Bmpmon.Tests.Postgres;
using Bmpmond.Pipeline;
using Bmpmond.Storage;
using Npgsql;
using Xunit.Abstractions;
using static Bmpmon.Tests.Decoding.BmpBuilder;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>
/// Keys new to routes from fresh peers go in by COPY (<see cref="FreshPeerRoutes"/>): the table must
/// end up exactly as the staged upsert alone leaves it, whatever the batches hold.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FreshPeerRoutesTests(SharedPostgres postgres, ITestOutputHelper output)
{
    /// <summary>Every column of routes but the row versions, in key order.</summary>
    private const string AllOfRoutes = """
        SELECT router_id, peer_id, route_key, rib, afi, safi, rd, prefix, path_id, evpn_route_type, esi, ethernet_tag, mac,
               evpn_ip, raw_nlri, first_seen, last_seen, last_change, is_withdrawn, withdrawn_at, churn, attrs_id,
               array_to_string(labels, ','), sync_gen
        FROM bmpmon.routes ORDER BY peer_id, route_key
        """;

    [FixtureFact]
    public void Every_capture_leaves_routes_as_the_upsert_alone_does_on_first_load_and_on_reconnect()
    {
        var root = Fixtures.RequireRoot();

        var streams = FixtureStreams.FromCaptures(root).ToList();
        var fresh = new Target(postgres.CreateDatabase(), freshPeers: true);
        var upsert = new Target(postgres.CreateDatabase(), freshPeers: false);
        try
        {
            // Twice: the second time every router reconnects, its peers have rows, and a new sync generation starts.
            for (var pass = 0; pass < 2; pass++)
            {
                for (var i = 0; i < streams.Count; i++)
                {
                    var router = $"10.9.{i / 200}.{(i % 200) + 1}:179";
                    var forUpsert = new PostgresRouterState(IPAddress.Parse(router[..^4]), router);
                    foreach (var (state, bytes) in Batches(router, streams[i].Payload))
                    {
                        fresh.Commit(state, bytes);
                        upsert.Commit(forUpsert, bytes);
                    }
                }
            }

            Assert.Equal(Rows(upsert.ConnectionString, AllOfRoutes), Rows(fresh.ConnectionString, AllOfRoutes));
            Assert.Equal(Rows(fresh.ConnectionString, RoutesFromReplay), Rows(fresh.ConnectionString, RoutesNow));
            var routes = Scalar(fresh.ConnectionString, "SELECT count(*) FROM bmpmon.routes");
            output.WriteLine($"{streams.Count} streams, {routes} routes, {fresh.Committer.NewRoutesCopied} inserted by COPY");
            Assert.Equal(0, upsert.Committer.NewRoutesCopied);
            Assert.Equal(0, fresh.Committer.FreshPeerConflicts);

            // Not all: a Peer Down forgets its peer (keys it first announces later go through the upsert), and a
            // key whose fingerprint another key of its peer took first does too. Most keys come before either.
            Assert.InRange(fresh.Committer.NewRoutesCopied, routes * 9 / 10, routes);
        }
        finally
        {
            fresh.Dispose();
            upsert.Dispose();
        }
    }

    [Fact]
    public void A_key_someone_else_inserted_fails_the_copy_and_the_batch_goes_through_the_upsert()
    {
        var cs = postgres.CreateDatabase();
        byte[] attrs = [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)];
        byte[][] caps = [MultiprotocolCapability(1, 1), FourOctetAsCapability(65001)];
        var peerUp = PeerUp(Open(23456, caps), Open(23456, caps));
        using var daemon = new Target(cs, freshPeers: true);
        using var importer = new Target(cs, freshPeers: false);
        using var session = new TestSession("192.0.2.60:179");
        daemon.Commit(session, [.. peerUp, .. RouteMonitoring(Update([], attrs, [16, 10, 1]))]);
        Assert.Equal(1, daemon.Committer.NewRoutesCopied);

        // An import of the same router adds 10.2/16 under the same peer: the daemon cannot know.
        using (var import = new TestSession("192.0.2.60:179"))
        {
            importer.Commit(import, [.. peerUp, .. RouteMonitoring(Update([], attrs, [16, 10, 2]))]);
        }

        daemon.Commit(session, [.. RouteMonitoring(Update([], attrs, [16, 10, 2])), .. RouteMonitoring(Update([], attrs, [16, 10, 3]))]);
        Assert.Equal(1, daemon.Committer.FreshPeerConflicts);
        Assert.Equal(3, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn"));
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));

        // The peer is no longer taken for fresh: its next new key goes through the upsert.
        var copied = daemon.Committer.NewRoutesCopied;
        daemon.Commit(session, RouteMonitoring(Update([], attrs, [16, 10, 4])));
        Assert.Equal(copied, daemon.Committer.NewRoutesCopied);
        Assert.Equal(4, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn"));
    }

    [Fact]
    public void A_key_announced_withdrawn_and_announced_across_peer_events_in_one_batch_is_one_row()
    {
        var cs = postgres.CreateDatabase();
        byte[] attrs = [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)];
        byte[] other = [.. Origin(), .. AsPath4(65001, 65003), .. NextHop(192, 0, 2, 1)];
        byte[][] caps = [MultiprotocolCapability(1, 1), FourOctetAsCapability(65001)];
        var peerUp = PeerUp(Open(23456, caps), Open(23456, caps));
        byte[] stream =
        [
            .. peerUp,
            .. RouteMonitoring(Update([], attrs, [16, 10, 1, 24, 10, 2, 3])),
            .. RouteMonitoring(Update([24, 10, 2, 3], [], [])),
            .. RouteMonitoring(Update([], other, [16, 10, 1])),
            .. PeerDown(2, [0, 0]),
            .. peerUp,
            .. RouteMonitoring(Update([], attrs, [16, 10, 1, 16, 10, 5])),
            .. RouteMonitoring(Update([16, 10, 5], [], [])),
        ];

        using var daemon = new Target(cs, freshPeers: true);
        using (var session = new TestSession("192.0.2.61:179"))
        {
            daemon.Commit(session, stream);
        }

        var upsertCs = postgres.CreateDatabase();
        using var upsert = new Target(upsertCs, freshPeers: false);
        using (var session = new TestSession("192.0.2.61:179"))
        {
            upsert.Commit(session, stream);
        }

        // 10.1/16 and 10.2.3/24 before the Peer Down; it forgets the peer, so 10.5/16 goes through the upsert.
        Assert.Equal(2, daemon.Committer.NewRoutesCopied);
        Assert.Equal(Rows(upsertCs, AllOfRoutes), Rows(cs, AllOfRoutes));
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));
        Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn"));
        Assert.Equal(2, Scalar(cs, "SELECT churn FROM bmpmon.routes WHERE prefix = '10.1.0.0/16'"));
    }

    /// <summary>A stream decoded as a session of <paramref name="router"/> would, in batches of what the session output hands over per 64 KiB read.</summary>
    private static List<(PostgresRouterState State, byte[] Bytes)> Batches(string router, byte[] stream)
    {
        var session = new PostgresSessionOutput(router, TestAttributeIdKey);
        var batches = new List<(PostgresRouterState, byte[])>();
        using var decoder = new BmpStreamDecoder();
        var sink = (ISessionOutput)session;
        for (var offset = 0; offset < stream.Length; offset += 64 * 1024)
        {
            decoder.Feed(stream.AsSpan(offset, Math.Min(64 * 1024, stream.Length - offset)), ref sink);
            if (session.TakeBatch() is { } batch)
            {
                batches.Add(((PostgresRouterState)batch.Payload!, batch.Bytes.ToArray()));
                batch.Release();
            }
        }

        session.Close();
        return batches;
    }

    /// <summary>A migrated database and a committer writing into it as the daemon's database thread does.</summary>
    private sealed class Target : IDisposable
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly NpgsqlConnection _connection;

        public Target(string connectionString, bool freshPeers)
        {
            ConnectionString = connectionString;
            _dataSource = PostgresDatabase.Create(connectionString);
            SchemaMigrator.Apply(_dataSource);
            _connection = _dataSource.OpenConnection();
            using var staging = new NpgsqlCommand(PostgresSql.For(PostgresSql.CreateStaging, "bmpmon"), _connection);
            staging.ExecuteNonQuery();
            Committer = new PostgresBatchCommit("bmpmon", freshPeers);
        }

        public string ConnectionString { get; }

        public PostgresBatchCommit Committer { get; }

        /// <summary>Decodes <paramref name="messages"/> in <paramref name="session"/> and commits them as one batch.</summary>
        public void Commit(TestSession session, byte[] messages)
        {
            var bytes = session.Next(messages);
            Commit(session.State, bytes);
        }

        public void Commit(PostgresRouterState state, byte[] bytes)
        {
            Committer.Clear();
            Committer.AddSegment(state, 0, bytes.Length);
            Committer.Commit(_connection, bytes, bytes);
        }

        public void Dispose()
        {
            _connection.Dispose();
            _dataSource.Dispose();
        }
    }
}
