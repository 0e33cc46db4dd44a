namespace Bmpmon.Core.Storage;

/// <summary>
/// Schema step 5: TimescaleDB when the server has it. On a fresh install with the extension
/// available (<see cref="TimescaleProbe.Decide"/>), <c>route_updates</c> and <c>peer_events</c>
/// become hypertables with 1-day chunks on <c>time</c>, retention policies (the same five years and
/// six months as the retention job) and a compression policy on <c>route_updates</c>; the
/// partitions and retention jobs then leave that work to TimescaleDB. Every other outcome runs no
/// SQL at all, so plain PostgreSQL keeps step 1's native partitions unchanged; the step is still
/// recorded, with the outcome in its description.
/// </summary>
/// <remarks>
/// Written against TimescaleDB 2.x's documented API: <c>create_hypertable(relation, time_column_name,
/// chunk_time_interval =&gt;, create_default_indexes =&gt;)</c> (the interface deprecated in 2.13 but
/// still supported, so one text serves every 2.x), <c>ALTER TABLE ... SET (timescaledb.compress,
/// timescaledb.compress_segmentby, timescaledb.compress_orderby)</c>,
/// <c>add_compression_policy(hypertable, compress_after =&gt;, if_not_exists =&gt;)</c> and
/// <c>add_retention_policy(relation, drop_after =&gt;, if_not_exists =&gt;)</c>. A hypertable needs the
/// time column in every unique index: neither table has a unique index. create_hypertable refuses a
/// declaratively partitioned table, so <c>route_updates</c> is first recreated as a plain table
/// with the same columns, indexes (same names) and dependent views (<see cref="RecreateSql"/>).
/// Not exercised in CI: TimescaleDB is not installable where the tests run.
/// </remarks>
public static class TimescaleMigration
{
    /// <summary>The step's version.</summary>
    public const int Version = 5;

    /// <summary>As listed in <see cref="SchemaMigrations.All"/>; the recorded description adds the outcome.</summary>
    public const string Description = "TimescaleDB hypertables and policies when the extension is available on a fresh install, else nothing";

    /// <summary>Chunk width of both hypertables: one day, as the native partitions.</summary>
    public const string ChunkInterval = "1 day";

    /// <summary><c>route_updates</c> retention (the retention job's default).</summary>
    public const string RouteUpdatesRetention = "5 years";

    /// <summary><c>peer_events</c> retention (the retention job's default).</summary>
    public const string PeerEventsRetention = "6 months";

    /// <summary>Chunks of <c>route_updates</c> older than this are compressed: a week of recent history stays row-shaped for fast inserts and lookups.</summary>
    public const string CompressAfter = "7 days";

    /// <summary>
    /// The probe for <see cref="TimescaleProbe"/>, one row of six booleans in its parameter order;
    /// <c>{schema}</c> stands for the schema name. Run after steps 1 to 4 in the same transaction.
    /// </summary>
    public const string ProbeSql = """
        SELECT
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'),
            EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'),
            EXISTS (SELECT 1 FROM pg_settings WHERE name LIKE 'timescaledb.%'),
            COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
                OR (COALESCE((SELECT NOT v.superuser OR v.trusted
                              FROM pg_available_extension_versions v
                              JOIN pg_available_extensions e ON e.name = v.name AND e.default_version = v.version
                              WHERE v.name = 'timescaledb'), false)
                    AND has_database_privilege(current_database(), 'CREATE')),
            COALESCE((SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass('{schema}.route_updates')), false),
            NOT EXISTS (SELECT 1 FROM {schema}.route_updates) AND NOT EXISTS (SELECT 1 FROM {schema}.peer_events)
        """;

    /// <summary>
    /// Recreates the natively partitioned <c>route_updates</c> as a plain table (empty, checked by the
    /// probe): same columns, defaults and constraints (<c>LIKE</c>), the same indexes under the same
    /// names (their definitions read back from the catalog, so indexes added by later steps come
    /// along), and every view on it re-pointed to the new table. The partition functions become
    /// no-ops returning 0, so the writer's hourly call and the jobs find nothing to do. Plain SQL:
    /// it runs on PostgreSQL without TimescaleDB too (the tests do).
    /// </summary>
    public const string RecreateSql = """
        DO $v5$
        DECLARE
            view_names text[];
            view_defs text[];
            index_defs text[];
        BEGIN
            SELECT COALESCE(array_agg(format('%I.%I', n.nspname, c.relname)), '{}'),
                   COALESCE(array_agg(rtrim(pg_get_viewdef(c.oid), '; ' || chr(10))), '{}')
              INTO view_names, view_defs
              FROM (SELECT DISTINCT r.ev_class
                    FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                    WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
                      AND d.refobjid = '{schema}.route_updates'::regclass AND r.ev_class <> d.refobjid) v
              JOIN pg_class c ON c.oid = v.ev_class
              JOIN pg_namespace n ON n.oid = c.relnamespace;
            SELECT COALESCE(array_agg(replace(pg_get_indexdef(indexrelid), ' ON ONLY ', ' ON ')), '{}')
              INTO index_defs
              FROM pg_index WHERE indrelid = '{schema}.route_updates'::regclass;

            ALTER TABLE {schema}.route_updates RENAME TO route_updates_native;
            CREATE TABLE {schema}.route_updates (LIKE {schema}.route_updates_native INCLUDING ALL EXCLUDING INDEXES);
            FOR i IN 1 .. COALESCE(array_length(view_names, 1), 0) LOOP
                EXECUTE format('CREATE OR REPLACE VIEW %s AS %s', view_names[i], view_defs[i]);
            END LOOP;
            DROP TABLE {schema}.route_updates_native;
            FOR i IN 1 .. COALESCE(array_length(index_defs, 1), 0) LOOP
                EXECUTE index_defs[i];
            END LOOP;
        END
        $v5$;

        CREATE OR REPLACE FUNCTION {schema}.ensure_route_update_partitions(first_day date, days_ahead int)
        RETURNS int LANGUAGE sql AS $fn$ SELECT 0 $fn$;
        CREATE OR REPLACE FUNCTION {schema}.drop_route_update_partitions(cutoff timestamptz)
        RETURNS int LANGUAGE sql AS $fn$ SELECT 0 $fn$;
        """;

    /// <summary>The TimescaleDB statements after <see cref="RecreateSql"/>, in order, for <paramref name="schema"/>.</summary>
    public static IReadOnlyList<string> HypertableStatements(string schema)
    {
        Check(schema);
        return
        [
            "CREATE EXTENSION IF NOT EXISTS timescaledb",
            $"SELECT create_hypertable('{schema}.route_updates', 'time', chunk_time_interval => INTERVAL '{ChunkInterval}', create_default_indexes => false)",
            $"SELECT create_hypertable('{schema}.peer_events', 'time', chunk_time_interval => INTERVAL '{ChunkInterval}', create_default_indexes => false)",
            $"ALTER TABLE {schema}.route_updates SET (timescaledb.compress, timescaledb.compress_segmentby = 'peer_id', timescaledb.compress_orderby = 'time')",
            $"SELECT add_compression_policy('{schema}.route_updates', compress_after => INTERVAL '{CompressAfter}', if_not_exists => true)",
            $"SELECT add_retention_policy('{schema}.route_updates', drop_after => INTERVAL '{RouteUpdatesRetention}', if_not_exists => true)",
            $"SELECT add_retention_policy('{schema}.peer_events', drop_after => INTERVAL '{PeerEventsRetention}', if_not_exists => true)",
        ];
    }

    /// <summary>
    /// The step's SQL for <paramref name="outcome"/>: the extension, the recreated table and the
    /// hypertables with their policies for <see cref="TimescaleOutcome.Convert"/>; empty (nothing
    /// to run) for every other outcome.
    /// </summary>
    public static string Render(TimescaleOutcome outcome, string schema)
    {
        Check(schema);
        if (outcome != TimescaleOutcome.Convert)
        {
            return string.Empty;
        }

        // The extension first, so a server that refuses it fails the step before anything was recreated.
        var statements = HypertableStatements(schema);
        var sql = new System.Text.StringBuilder();
        sql.Append(statements[0]).Append(";\n");
        sql.Append(RecreateSql.Replace("{schema}", schema, StringComparison.Ordinal)).Append('\n');
        for (var i = 1; i < statements.Count; i++)
        {
            sql.Append(statements[i]).Append(";\n");
        }

        return sql.ToString();
    }

    /// <summary>What the outcome means, for the recorded description and the log.</summary>
    public static string Explain(TimescaleOutcome outcome) => outcome switch
    {
        TimescaleOutcome.NotAvailable => "timescaledb extension not available; native daily partitions",
        TimescaleOutcome.NotPreloaded => "timescaledb extension available but not in shared_preload_libraries; native daily partitions",
        TimescaleOutcome.NotPermitted => "timescaledb extension available but this role may not create it; native daily partitions",
        TimescaleOutcome.NotNativelyPartitioned => "route_updates is not natively partitioned; left as it is",
        TimescaleOutcome.TablesNotEmpty => "timescaledb available but route_updates or peer_events already holds rows (converting would copy them inside the migration); native daily partitions kept",
        TimescaleOutcome.Convert => $"route_updates and peer_events are TimescaleDB hypertables ({ChunkInterval} chunks) with retention ({RouteUpdatesRetention}, {PeerEventsRetention}) and compression after {CompressAfter}",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>The step as applied: its recorded description says which way it went.</summary>
    public static SchemaMigration Applied(TimescaleOutcome outcome, string schema) =>
        new(Version, $"TimescaleDB: {Explain(outcome)}", Render(outcome, schema));

    private static void Check(string schema)
    {
        if (!SchemaMigrations.IsValidSchemaName(schema))
        {
            throw new ArgumentException("schema name must be a lower-case identifier", nameof(schema));
        }
    }
}
