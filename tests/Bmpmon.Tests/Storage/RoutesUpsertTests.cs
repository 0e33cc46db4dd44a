using Bmpmon.Core.Decoding;
using Bmpmon.Core.Storage;
using Bmpmon.Tests.Postgres;
using Bmpmond.Storage;
using Npgsql;
using static Bmpmon.Tests.Decoding.BmpBuilder;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>Schema step 3 and the routes upsert fed by the per-key batch state (sync generations, unchanged routes).</summary>
[Collection(PostgresCollection.Name)]
public sealed class RoutesUpsertTests(SharedPostgres postgres)
{
    [Fact]
    public void Step_3_migrates_a_version_2_database_and_keeps_its_rows()
    {
        var cs = postgres.CreateDatabase();
        Exec(cs, "CREATE SCHEMA bmpmon; CREATE TABLE bmpmon.schema_migrations (version int PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (var step in SchemaMigrations.All.Where(m => m.Version <= 2))
        {
            Exec(cs, SchemaMigrations.Render(step, "bmpmon"));
            Exec(cs, $"INSERT INTO bmpmon.schema_migrations VALUES ({step.Version}, 'v{step.Version}')");
        }

        Exec(cs, """
            INSERT INTO bmpmon.bmp_routers (address) VALUES ('192.0.2.1');
            INSERT INTO bmpmon.bgp_peers (router_id, peer_type, distinguisher, address) VALUES (1, 0, 0, '192.0.2.2');
            INSERT INTO bmpmon.route_updates (seq, time, arrival, router_id, peer_id, rib, afi, safi, prefix, is_withdrawn)
            VALUES (nextval('bmpmon.route_updates_seq'), now(), now(), 1, 1, 0, 1, 1, '10.1.0.0/16', false);
            INSERT INTO bmpmon.routes (router_id, peer_id, route_key, rib, afi, safi, prefix, first_seen, last_seen, last_change, is_withdrawn)
            VALUES (1, 1, '\x01', 0, 1, 1, '10.1.0.0/16', now(), now(), now(), false);
            """);

        using (var dataSource = PostgresDatabase.Create(cs))
        {
            var applied = SchemaMigrator.Apply(dataSource).Select(m => m.Version).ToList();
            Assert.Contains(3, applied);
            Assert.DoesNotContain(2, applied);
        }

        Assert.Equal(0, Scalar(cs, "SELECT sync_gen FROM bmpmon.routes"));
        Exec(cs, "INSERT INTO bmpmon.route_updates (time, arrival, router_id, peer_id, rib, afi, safi, prefix, is_withdrawn) VALUES (now(), now(), 1, 1, 0, 1, 1, '10.2.0.0/16', false)");
        var seqs = Query(cs, "SELECT seq FROM bmpmon.route_updates ORDER BY time").Select(r => (long)r[0]!).ToList();
        Assert.True(seqs[1] > seqs[0], "the default numbers after the rows numbered by version 2");
        Assert.Equal("btree", Query(cs, "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'route_updates_prefix'")[0][0]);
        Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM bmpmon.routes_v"));
        Assert.Equal(2, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates_v"));
    }

    [Fact]
    public void Prefix_lookups_use_the_btree_index_of_route_updates()
    {
        var cs = postgres.CreateDatabase();
        using (var dataSource = PostgresDatabase.Create(cs))
        {
            SchemaMigrator.Apply(dataSource);
        }

        Exec(cs, """
            INSERT INTO bmpmon.route_updates (time, arrival, router_id, peer_id, rib, afi, safi, prefix, is_withdrawn)
            SELECT now(), now(), 1, 1, 0, 1, 1, ('10.' || (i / 256) || '.' || (i % 256) || '.0/24')::cidr, false FROM generate_series(0, 20000) i;
            ANALYZE bmpmon.route_updates;
            """);
        foreach (var where in new[] { "prefix <<= '10.1.0.0/16'", "prefix = '10.1.2.0/24'" })
        {
            var plan = string.Join('\n', Query(cs, $"EXPLAIN SELECT * FROM bmpmon.route_updates WHERE {where}").Select(r => (string)r[0]!));
            Assert.Contains("route_updates_default_prefix_idx", plan, StringComparison.Ordinal);
        }

        Assert.Equal(256, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates WHERE prefix <<= '10.1.0.0/16'"));
    }

    [Fact]
    public void Routes_prefix_lookups_and_covering_prefixes_use_the_btree_index_of_routes()
    {
        var cs = postgres.CreateDatabase();
        using (var dataSource = PostgresDatabase.Create(cs))
        {
            SchemaMigrator.Apply(dataSource);
        }

        Exec(cs, """
            INSERT INTO bmpmon.routes (router_id, peer_id, route_key, rib, afi, safi, prefix, first_seen, last_seen, last_change, is_withdrawn)
            SELECT 1, 1, int4send(i), 0, 1, 1, ('10.' || (i / 256) || '.' || (i % 256) || '.0/24')::cidr, now(), now(), now(), false
            FROM generate_series(0, 20000) i;
            INSERT INTO bmpmon.routes (router_id, peer_id, route_key, rib, afi, safi, prefix, first_seen, last_seen, last_change, is_withdrawn)
            VALUES (1, 1, '\x01'::bytea, 0, 1, 1, '10.0.0.0/8', now(), now(), now(), false),
                   (1, 1, '\x02'::bytea, 0, 1, 1, '0.0.0.0/0', now(), now(), now(), false),
                   (1, 1, '\x03'::bytea, 0, 2, 1, '2001:db8::/32', now(), now(), now(), false);
            ANALYZE bmpmon.routes;
            """);
        foreach (var where in new[] { "prefix <<= '10.1.0.0/16'", "prefix = '10.1.2.0/24'", "prefix = ANY (bmpmon.covering_prefixes('10.1.2.3'))" })
        {
            var plan = string.Join('\n', Query(cs, $"EXPLAIN SELECT * FROM bmpmon.routes WHERE {where}").Select(r => (string)r[0]!));
            Assert.Contains("routes_prefix", plan, StringComparison.Ordinal);
        }

        // The covering prefixes of an address are the /24 it is in, the /8 and the default route: what >>= would find.
        Assert.Equal(
            ["0.0.0.0/0", "10.0.0.0/8", "10.1.2.0/24"],
            Query(cs, "SELECT prefix::text FROM bmpmon.routes WHERE prefix = ANY (bmpmon.covering_prefixes('10.1.2.3')) ORDER BY prefix").Select(r => (string)r[0]!));
        Assert.Equal(
            Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE prefix >>= '10.1.2.3'"),
            Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE prefix = ANY (bmpmon.covering_prefixes('10.1.2.3'))"));
        Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE prefix = ANY (bmpmon.covering_prefixes('2001:db8:1::1'))"));
        Assert.Equal(129, Scalar(cs, "SELECT cardinality(bmpmon.covering_prefixes('2001:db8::1'))"));
    }

    [Fact]
    public void Routes_take_the_sync_generation_and_unchanged_announcements_write_nothing()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        SchemaMigrator.Apply(dataSource);
        Exec(cs, "SELECT bmpmon.ensure_route_update_partitions(current_date, 1)");
        byte[] attrs = [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)];
        byte[] other = [.. Origin(), .. AsPath4(65001, 65003), .. NextHop(192, 0, 2, 1)];
        byte[][] caps = [MultiprotocolCapability(1, 1), FourOctetAsCapability(65001)];
        var peerUp = PeerUp(Open(23456, caps), Open(23456, caps));
        byte[] prefixes = [8, 10, 16, 172, 16];
        var announce = RouteMonitoring(Update([], attrs, prefixes));

        var session = new PostgresSessionOutput("192.0.2.50:179", TestAttributeIdKey);
        var commit = new PostgresBatchCommit("bmpmon", freshPeers: true);
        using var connection = dataSource.OpenConnection();
        using (var staging = new NpgsqlCommand(PostgresSql.For(PostgresSql.CreateStaging, "bmpmon"), connection))
        {
            staging.ExecuteNonQuery();
        }

        // The Peer Up starts the peer's first generation; the routes take it.
        Commit([.. peerUp, .. announce]);
        Assert.Equal([1L, 1L], Query(cs, "SELECT sync_gen FROM bmpmon.routes ORDER BY prefix").Select(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture)));
        var versions = Versions();

        // The same announcements again, same generation: nothing to write (no new row versions).
        Commit(announce);
        Assert.Equal(versions, Versions());
        Assert.Equal(4, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates"));

        // A new generation (the router reconnected: Peer Up again) is a change: both rows written, churn unchanged.
        Commit([.. peerUp, .. announce]);
        Assert.NotEqual(versions, Versions());
        Assert.Equal(2, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE sync_gen = 2 AND churn = 0"));

        // New attributes for one prefix and back within one batch: a change (written), the other prefix untouched.
        versions = Versions();
        Commit([.. RouteMonitoring(Update([], other, [8, 10])), .. RouteMonitoring(Update([], attrs, [8, 10]))]);
        var after = Versions();
        Assert.NotEqual(versions[0], after[0]);
        Assert.Equal(versions[1], after[1]);
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));

        void Commit(byte[] stream)
        {
            using var decoder = new BmpStreamDecoder();
            var sink = (Bmpmond.Pipeline.ISessionOutput)session;
            decoder.Feed(stream, ref sink);
            var batch = session.TakeBatch()!;
            var state = (PostgresRouterState)batch.Payload!;
            var bytes = batch.Bytes.ToArray();
            batch.Release();
            commit.Clear();
            commit.AddSegment(state, 0, bytes.Length);
            commit.Commit(connection, bytes, bytes);
        }

        List<string> Versions() => Query(cs, "SELECT xmin::text FROM bmpmon.routes ORDER BY prefix").Select(r => (string)r[0]!).ToList();
    }

    private static void Exec(string cs, string sql)
    {
        using var connection = new NpgsqlConnection(cs);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
