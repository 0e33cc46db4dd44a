namespace Bmpmon.Core.Storage;

/// <summary>
/// Schema step 6, from the full-size ingest bench (README "Ingest performance"): the GiST index on
/// <c>routes.prefix</c> becomes a btree, which costs a fraction of the GiST at every new route and
/// serves <c>prefix = x</c> and <c>prefix &lt;&lt;= x</c> (PostgreSQL rewrites <c>&lt;&lt;=</c>
/// into a range on a btree, network_subset_support). "Which prefixes cover this address"
/// (<c>&gt;&gt;=</c>) is answered with <c>prefix = ANY (covering_prefixes(address))</c>: one btree
/// probe per prefix length, at most 33 for IPv4 and 129 for IPv6. The GIN on
/// <c>path_attributes.as_path</c> gets a larger pending list, so a batch's new attribute sets are
/// merged into the index in bulk (by autovacuum or when the list fills) instead of one by one.
/// </summary>
public static class LookupMigration
{
    /// <summary>The step's version.</summary>
    public const int Version = 6;

    /// <summary>What the step does, as printed by <c>bmpmond migrate</c>.</summary>
    public const string Description = "btree prefix index on routes, covering_prefixes(inet), larger GIN pending list on as_path";

    /// <summary>The step's SQL; <c>{schema}</c> stands for the schema name.</summary>
    public const string Sql = """
        DROP INDEX IF EXISTS {schema}.routes_prefix;
        CREATE INDEX IF NOT EXISTS routes_prefix ON {schema}.routes (prefix);

        -- Every prefix that covers address (itself included), shortest first.
        CREATE OR REPLACE FUNCTION {schema}.covering_prefixes(address inet) RETURNS cidr[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
            SELECT array_agg(network(set_masklen(address, l)) ORDER BY l)
            FROM generate_series(0, masklen(address)) AS l
        $fn$;

        -- 16 MiB (the default is 4 MiB): in KiB.
        ALTER INDEX {schema}.path_attributes_as_path SET (gin_pending_list_limit = 16384);
        """;
}
