using Bmpmon.Core.Storage;
using Bmpmon.Tests.Postgres;
using Bmpmond.Storage;
using Bmpmond.Storage.Jobs;
using Npgsql;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>
/// Schema step 5 against a real PostgreSQL 15 without TimescaleDB: the plain path stays as it was,
/// and the parts of the conversion that are plain SQL (recreating route_updates, the calls against
/// stand-ins with TimescaleDB's documented signatures) run for real.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TimescalePlainPathTests(SharedPostgres postgres)
{
    private const string Columns = "SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '-'), ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'bmpmon' AND table_name = 'route_updates'";
    private const string Indexes = "SELECT string_agg(replace(indexdef, ' ON ONLY ', ' ON '), E'\\n' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'bmpmon' AND tablename = 'route_updates'";

    [Fact]
    public void Without_timescaledb_step_5_changes_nothing_and_is_recorded_with_the_reason()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        var applied = SchemaMigrator.Apply(dataSource);

        var step = Assert.Single(applied, m => m.Version == TimescaleMigration.Version);
        Assert.Equal("TimescaleDB: " + TimescaleMigration.Explain(TimescaleOutcome.NotAvailable), step.Description);
        Assert.Equal(step.Description, (string)Query(cs, "SELECT description FROM bmpmon.schema_migrations WHERE version = 5")[0][0]!);
        Assert.Equal("p", Query(cs, "SELECT relkind::text FROM pg_class WHERE oid = 'bmpmon.route_updates'::regclass")[0][0]);
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'"));

        using var connection = dataSource.OpenConnection();
        Assert.Equal(new TimescaleProbe(false, false, false, true, true, true), SchemaMigrator.Probe(connection, null, "bmpmon"));
        Assert.Equal(StorageLayout.NativePartitions, StorageLayouts.Read(connection, "bmpmon"));
        Assert.Equal("3 partitions created", StorageJobs.EnsurePartitions(connection, "bmpmon"));
        Assert.Equal("0 route_updates partitions dropped, 0 peer_events deleted", StorageJobs.ApplyRetention(connection, "bmpmon", TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
    }

    [Fact]
    public void The_probe_sees_rows_in_either_table()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        SchemaMigrator.Apply(dataSource);
        using var connection = dataSource.OpenConnection();
        Assert.True(SchemaMigrator.Probe(connection, null, "bmpmon").TablesEmpty);

        Execute(connection, "INSERT INTO bmpmon.peer_events (time, arrival, router_id, peer_id, event) VALUES (now(), now(), 1, 1, 'peer_up')");
        Assert.False(SchemaMigrator.Probe(connection, null, "bmpmon").TablesEmpty);
        Execute(connection, "DELETE FROM bmpmon.peer_events");
        Execute(connection, "INSERT INTO bmpmon.route_updates (seq, time, arrival, router_id, peer_id, rib, afi, safi, is_withdrawn) VALUES (1, '2001-01-01', now(), 1, 1, 0, 1, 1, false)");
        var probe = SchemaMigrator.Probe(connection, null, "bmpmon");
        Assert.False(probe.TablesEmpty);
        Assert.Equal(TimescaleOutcome.TablesNotEmpty, (probe with { Available = true, Preloaded = true }).Decide());
    }

    [Fact]
    public async Task Route_updates_recreated_as_a_plain_table_keeps_columns_indexes_and_views_and_the_daemon_still_writes()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        SchemaMigrator.Apply(dataSource);
        var columns = Query(cs, Columns)[0][0];
        var indexes = Query(cs, Indexes)[0][0];
        Assert.Contains("route_updates_prefix", (string)indexes!, StringComparison.Ordinal);

        using (var connection = dataSource.OpenConnection())
        {
            Execute(connection, TimescaleMigration.RecreateSql.Replace("{schema}", "bmpmon", StringComparison.Ordinal));
            Assert.Equal(StorageLayout.Unpartitioned, StorageLayouts.Read(connection, "bmpmon"));
            Assert.Equal("route_updates is not partitioned: no partitions to create", StorageJobs.EnsurePartitions(connection, "bmpmon"));
            Assert.Equal("0 route_updates partitions dropped, 0 peer_events deleted", StorageJobs.ApplyRetention(connection, "bmpmon", TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        }

        Assert.Equal("r", Query(cs, "SELECT relkind::text FROM pg_class WHERE oid = 'bmpmon.route_updates'::regclass")[0][0]);
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bmpmon' AND c.relkind IN ('r', 'p') AND (c.relname LIKE 'route_updates_p%' OR c.relname IN ('route_updates_default', 'route_updates_native'))"));
        Assert.Equal(columns, Query(cs, Columns)[0][0]);
        Assert.Equal(indexes, Query(cs, Indexes)[0][0]);
        Assert.Equal(0, Scalar(cs, "SELECT bmpmon.ensure_route_update_partitions(current_date, 2)"));

        // The view follows the new table, and the daemon's writer (which calls the partition
        // function at start and hourly) stores into it.
        using (var daemon = PostgresDaemon(cs))
        {
            await daemon.SendAsync(Operations.JobsDaemon.TwoRoutes());
            Assert.True(await Operations.JobsDaemon.EventuallyAsync(() => Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates_v") == 2, TimeSpan.FromSeconds(15)), "no rows through route_updates_v");
        }

        Assert.Equal(2, Scalar(cs, "SELECT count(*) FROM bmpmon.routes_v"));
    }

    [Fact]
    public void The_timescaledb_calls_bind_to_the_documented_signatures()
    {
        // Stand-ins with TimescaleDB 2.x's parameter names and types (sql/ddl_api.sql and
        // sql/policy_api.sql upstream; "any" is for C functions only, so anyelement / interval
        // here): a wrong argument name or type fails to bind, as it would against the extension.
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        SchemaMigrator.Apply(dataSource, "bmp_alt");
        using var connection = dataSource.OpenConnection();
        Execute(connection, """
            CREATE TABLE public.ts_calls (call text);
            CREATE FUNCTION public.create_hypertable(relation regclass, time_column_name name, partitioning_column name = NULL,
                number_partitions integer = NULL, associated_schema_name name = NULL, associated_table_prefix name = NULL,
                chunk_time_interval anyelement = NULL::bigint, create_default_indexes boolean = true, if_not_exists boolean = false,
                partitioning_func regproc = NULL, migrate_data boolean = false, chunk_target_size text = NULL)
            RETURNS TABLE (hypertable_id int, schema_name name, table_name name, created bool) LANGUAGE sql
            AS $$ INSERT INTO public.ts_calls VALUES (format('create_hypertable %s %s %s %s', relation, time_column_name, chunk_time_interval, create_default_indexes)) RETURNING 1, ''::name, ''::name, true $$;
            CREATE FUNCTION public.add_retention_policy(relation regclass, drop_after interval, if_not_exists boolean = false,
                schedule_interval interval = NULL, initial_start timestamptz = NULL, timezone text = NULL)
            RETURNS integer LANGUAGE sql
            AS $$ INSERT INTO public.ts_calls VALUES (format('add_retention_policy %s %s %s', relation, drop_after, if_not_exists)) RETURNING 1 $$;
            CREATE FUNCTION public.add_compression_policy(hypertable regclass, compress_after interval, if_not_exists boolean = false,
                schedule_interval interval = NULL, initial_start timestamptz = NULL, timezone text = NULL)
            RETURNS integer LANGUAGE sql
            AS $$ INSERT INTO public.ts_calls VALUES (format('add_compression_policy %s %s %s', hypertable, compress_after, if_not_exists)) RETURNING 1 $$;
            """);
        Execute(connection, TimescaleMigration.RecreateSql.Replace("{schema}", "bmp_alt", StringComparison.Ordinal));
        foreach (var statement in TimescaleMigration.HypertableStatements("bmp_alt"))
        {
            // The extension and its ALTER TABLE options need the real thing.
            if (!statement.StartsWith("CREATE EXTENSION", StringComparison.Ordinal) && !statement.StartsWith("ALTER TABLE", StringComparison.Ordinal))
            {
                Execute(connection, statement);
            }
        }

        var calls = Query(cs, "SELECT call FROM public.ts_calls").Select(r => (string)r[0]!).ToList();
        Assert.Equal(
            [
                "create_hypertable bmp_alt.route_updates time 1 day f",
                "create_hypertable bmp_alt.peer_events time 1 day f",
                "add_compression_policy bmp_alt.route_updates 7 days t",
                "add_retention_policy bmp_alt.route_updates 5 years t",
                "add_retention_policy bmp_alt.peer_events 6 mons t",
            ],
            calls);
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM pg_namespace WHERE nspname = 'bmpmon'"));
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
