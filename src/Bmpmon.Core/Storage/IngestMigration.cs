namespace Bmpmon.Core.Storage;

/// <summary>
/// Schema step 3, for the cost of ingest (measured with <c>bench/batch-cost.sh</c>, figures in the
/// README): route_updates numbers its rows itself (<c>seq</c> defaults to the sequence, so the
/// writer COPYs straight into it, in the order the routers sent the rows, with no staging copy);
/// its prefix index becomes a btree, which costs a fraction of the GiST at every row and still
/// serves <c>prefix = x</c> and <c>prefix &lt;&lt;= x</c> (PostgreSQL rewrites that into a range,
/// network_subset_support); <c>routes</c> keeps its GiST (a row is inserted once per route, and it
/// answers "which prefixes cover this address", <c>&gt;&gt;=</c>) and leaves room in each page so
/// the state updates, which touch no indexed column, stay HOT; and <c>routes.sync_gen</c> holds
/// the peer's resync generation of the last announcement.
/// </summary>
public static class IngestMigration
{
    /// <summary>The step's SQL; <c>{schema}</c> stands for the schema name.</summary>
    public const string Sql = """
        ALTER TABLE {schema}.route_updates ALTER COLUMN seq SET DEFAULT nextval('{schema}.route_updates_seq');

        DROP INDEX IF EXISTS {schema}.route_updates_prefix;
        CREATE INDEX IF NOT EXISTS route_updates_prefix ON {schema}.route_updates (prefix);

        ALTER TABLE {schema}.routes ADD COLUMN IF NOT EXISTS sync_gen int NOT NULL DEFAULT 0;
        ALTER TABLE {schema}.routes SET (fillfactor = 80);
        """;
}
