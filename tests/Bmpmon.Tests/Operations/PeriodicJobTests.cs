using Bmpmon.Tests.Postgres;
using Bmpmond.Storage.Jobs;
using Xunit.Abstractions;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Operations;

/// <summary>The periodic jobs really run inside the daemon, against a real PostgreSQL 15.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PeriodicJobTests(SharedPostgres postgres, ITestOutputHelper output)
{
    internal static readonly JobSchedule Fast = new()
    {
        Partitions = TimeSpan.FromSeconds(1),
        Retention = TimeSpan.FromSeconds(1),
        Reconcile = TimeSpan.FromSeconds(1),
        ReconcileSettle = TimeSpan.Zero,
        Stats = TimeSpan.FromSeconds(1),
        Resync = TimeSpan.FromSeconds(1),
        FirstRun = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task Every_job_runs_records_its_run_and_does_its_work()
    {
        var cs = postgres.CreateDatabase();
        using var daemon = new JobsDaemon(cs, Fast);

        // Set up after the daemon migrated the schema: an expired daily partition with a row in it,
        // a partition inside the retention period, an old and a recent peer event.
        postgres.Server.Psql("""
            CREATE TABLE bmpmon.route_updates_p20100101 PARTITION OF bmpmon.route_updates FOR VALUES FROM ('2010-01-01') TO ('2010-01-02');
            INSERT INTO bmpmon.route_updates (seq, time, arrival, router_id, peer_id, rib, afi, safi, is_withdrawn)
                VALUES (1, '2010-01-01 12:00+00', '2010-01-01 12:00+00', 1, 1, 0, 1, 1, true);
            SELECT bmpmon.ensure_route_update_partitions((now() - interval '4 years')::date, 0);
            INSERT INTO bmpmon.peer_events (time, arrival, router_id, peer_id, event) VALUES
                (now() - interval '1 year', now() - interval '1 year', 1, 1, 'peer_down'),
                (now() - interval '1 day', now() - interval '1 day', 1, 1, 'peer_up');
            """, DatabaseName(cs));

        await daemon.SendAsync(JobsDaemon.TwoRoutes());
        Assert.True(
            await JobsDaemon.EventuallyAsync(() => Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn") == 2, TimeSpan.FromSeconds(10)),
            daemon.Logs() + string.Join("\n", Rows(cs, "SELECT prefix, is_withdrawn, time FROM bmpmon.route_updates")));

        // A missed batch: one route left stale (withdrawn in routes, announced in history), one with wrong attributes.
        Query(cs, "UPDATE bmpmon.routes SET is_withdrawn = true, withdrawn_at = now() WHERE prefix = '10.0.0.0/8'");
        Query(cs, "UPDATE bmpmon.routes SET attrs_id = 42 WHERE prefix = '192.0.2.0/24'");
        var before = DateTime.UtcNow;

        Assert.True(
            await JobsDaemon.EventuallyAsync(() => Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn AND attrs_id <> 42") == 2, TimeSpan.FromSeconds(15)),
            "reconciliation did not repair routes");

        Assert.True(
            await JobsDaemon.EventuallyAsync(() => Scalar(cs, "SELECT count(*) FROM pg_class WHERE relname = 'route_updates_p20100101'") == 0
                && Scalar(cs, "SELECT count(*) FROM bmpmon.peer_events WHERE arrival < now() - interval '6 months'") == 0, TimeSpan.FromSeconds(15)),
            "retention did not drop the expired partition: " + string.Join("\n", Rows(cs, "SELECT name, last_run, ok, result FROM bmpmon.jobs")));
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates WHERE time < '2011-01-01'"));
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));
        Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM pg_class WHERE relname = 'route_updates_p' || to_char((now() - interval '4 years')::date, 'YYYYMMDD')"));
        Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM bmpmon.peer_events WHERE event = 'peer_up' AND arrival < now() - interval '12 hours'"));
        Assert.Equal(3, Scalar(cs, "SELECT count(*) FROM pg_class WHERE relname IN (SELECT 'route_updates_p' || to_char(current_date + i, 'YYYYMMDD') FROM generate_series(0, 2) i)"));

        // Each job ran after the tampering, recently, and ok, with its interval recorded.
        Assert.True(
            await JobsDaemon.EventuallyAsync(() => Scalar(cs, $"SELECT count(*) FROM bmpmon.jobs WHERE ok AND last_run > '{before:O}'::timestamptz AND interval_s = 1") == 5, TimeSpan.FromSeconds(15)),
            string.Join("\n", Rows(cs, "SELECT name, last_run, ok, result, interval_s FROM bmpmon.jobs")));
        var jobs = Rows(cs, "SELECT name, ok FROM bmpmon.jobs");
        Assert.Equal(["partitions|True", "reconcile|True", "resync|True", "retention|True", "stats|True"], jobs);
        Assert.Contains("\"db_stats\"", daemon.Logs(), StringComparison.Ordinal);
        Assert.Equal(0, daemon.Stop());
        output.WriteLine(string.Join("\n", Rows(cs, "SELECT name, result FROM bmpmon.jobs")));
    }

    [Fact]
    public void Reconciliation_joins_routes_by_hash_and_leaves_rows_younger_than_the_settle_time_alone()
    {
        var cs = postgres.CreateDatabase();
        using (var dataSource = Bmpmond.Storage.PostgresDatabase.Create(cs))
        {
            Bmpmond.Storage.SchemaMigrator.Apply(dataSource);
        }

        // 20,000 routes, their history an hour old, every one left stale in routes (withdrawn there, announced in history).
        postgres.Server.Psql("""
            INSERT INTO bmpmon.route_updates (time, arrival, router_id, peer_id, rib, afi, safi, prefix, is_withdrawn, attrs_id)
            SELECT now() - interval '1 hour', now() - interval '1 hour', 1, 1, 0, 1, 1, ('10.' || (i / 256) || '.' || (i % 256) || '.0/24')::cidr, false, 7
            FROM generate_series(0, 19999) i;
            INSERT INTO bmpmon.routes (router_id, peer_id, route_key, rib, afi, safi, prefix, first_seen, last_seen, last_change, is_withdrawn, withdrawn_at, attrs_id)
            SELECT 1, 1, int4send(i), 0, 1, 1, ('10.' || (i / 256) || '.' || (i % 256) || '.0/24')::cidr, now(), now(), now(), true, now(), 7
            FROM generate_series(0, 19999) i;
            ANALYZE bmpmon.route_updates; ANALYZE bmpmon.routes;
            """, DatabaseName(cs));

        var plan = string.Join('\n', Query(cs, "EXPLAIN " + Bmpmond.Storage.Jobs.JobSql.For(Bmpmond.Storage.Jobs.JobSql.Reconcile, "bmpmon")
            .Replace("$1", "interval '1 day'", StringComparison.Ordinal).Replace("$2", "interval '10 minutes'", StringComparison.Ordinal)).Select(r => (string)r[0]!));
        Assert.Contains("Hash Join", plan, StringComparison.Ordinal);

        using var connection = new Npgsql.NpgsqlConnection(cs);
        connection.Open();

        // Inside the settle time: nothing is touched. Past it: all 20,000 repaired, once.
        Assert.StartsWith("0 routes repaired", StorageJobs.ReconcileRoutes(connection, "bmpmon", TimeSpan.FromDays(1), TimeSpan.FromHours(2)), StringComparison.Ordinal);
        Assert.StartsWith("20000 routes repaired", StorageJobs.ReconcileRoutes(connection, "bmpmon", TimeSpan.FromDays(1), TimeSpan.FromMinutes(10)), StringComparison.Ordinal);
        Assert.StartsWith("0 routes repaired", StorageJobs.ReconcileRoutes(connection, "bmpmon", TimeSpan.FromDays(1), TimeSpan.FromMinutes(10)), StringComparison.Ordinal);
        Assert.Equal(20000, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn AND withdrawn_at IS NULL AND churn = 1"));
    }

    [Fact]
    public void The_reconcile_settle_time_outlasts_the_outage_limit_and_is_ten_minutes_at_least()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), JobSchedule.SettleFor(TimeSpan.FromSeconds(300)));
        Assert.Equal(TimeSpan.FromMinutes(65), JobSchedule.SettleFor(TimeSpan.FromHours(1)));
    }

    private static string DatabaseName(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
}
