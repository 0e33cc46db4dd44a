namespace Bmpmon.Core.Storage;

/// <summary>One versioned schema step: SQL applied once, in a transaction, and recorded in <c>schema_migrations</c>.</summary>
/// <param name="Version">Applied in increasing order; never renumbered once released.</param>
/// <param name="Description">What the step does, as printed by <c>bmpmond migrate</c>.</param>
/// <param name="Sql">The statements; <c>{schema}</c> stands for the schema name.</param>
public sealed record SchemaMigration(int Version, string Description, string Sql);

/// <summary>
/// The PostgreSQL schema of bmpmond, as embedded SQL (no resources or reflection, so nothing for
/// the AOT trimmer to miss). Each step is idempotent by itself too (<c>IF NOT EXISTS</c>), but the
/// runner applies a step only when its version is missing from <c>schema_migrations</c>.
/// </summary>
/// <remarks>
/// Design, from the measurements in shared/notes/pg-ingest.md: path attributes are deduplicated
/// into <c>path_attributes</c> keyed by a 64-bit keyed hash computed in the daemon (<see cref="AttributeSetId"/>) (a full table has
/// about ten times fewer attribute sets than routes; worth ~1.5x ingest with indexes and half the
/// WAL), <c>route_updates</c> rows carry that id, and <c>route_updates_v</c> gives the
/// denormalized shape. <c>route_updates</c> has no unique key: nothing may be dropped by one.
/// </remarks>
public static class SchemaMigrations
{
    /// <summary>The default schema name.</summary>
    public const string DefaultSchema = "bmpmon";

    /// <summary>The steps, in version order.</summary>
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "base schema: routers, peers, peer events, path attributes, partitioned route updates, current routes, quarantine, jobs", V1),
        new(2, "job intervals and the import ledger", OperationsMigration.Sql),
        new(3, "ingest: route_updates.seq numbered by default, btree prefix index on route_updates, routes.sync_gen, routes fillfactor 80", IngestMigration.Sql),
        new(4, "resync generations (bgp_peers.sync_gen, routes.sync_gen, peer_sync) and quarantine details", SyncMigration.Sql),

        // No SQL of its own: the migrator probes the server and renders TimescaleMigration's SQL (or nothing).
        new(TimescaleMigration.Version, TimescaleMigration.Description, string.Empty),
        new(LookupMigration.Version, LookupMigration.Description, LookupMigration.Sql),
        new(WriterProgressMigration.Version, WriterProgressMigration.Description, WriterProgressMigration.Sql),
        new(AttributeIdKeyMigration.Version, AttributeIdKeyMigration.Description, AttributeIdKeyMigration.Sql),
    ];

    /// <summary>True for a name usable as an unquoted PostgreSQL identifier (the schema name is configuration, never router data).</summary>
    public static bool IsValidSchemaName(string name) =>
        name.Length is > 0 and <= 63
        && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
        && name.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789_") < 0;

    /// <summary>The step's SQL for <paramref name="schema"/>.</summary>
    public static string Render(SchemaMigration migration, string schema)
    {
        ArgumentNullException.ThrowIfNull(migration);
        if (!IsValidSchemaName(schema))
        {
            throw new ArgumentException("schema name must be a lower-case identifier", nameof(schema));
        }

        return migration.Sql.Replace("{schema}", schema, StringComparison.Ordinal);
    }

    private const string V1 = """
        CREATE TABLE IF NOT EXISTS {schema}.bmp_routers (
            id          int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            address     inet NOT NULL UNIQUE,
            bgp_id      inet,
            sys_name    text,
            sys_descr   text,
            first_seen  timestamptz NOT NULL DEFAULT now(),
            last_seen   timestamptz NOT NULL DEFAULT now(),
            is_active   boolean NOT NULL DEFAULT true,
            collector   text
        );

        CREATE TABLE IF NOT EXISTS {schema}.bgp_peers (
            id               int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            router_id        int NOT NULL REFERENCES {schema}.bmp_routers (id),
            peer_type        smallint NOT NULL,
            distinguisher    bigint NOT NULL,
            address          inet,
            asn              bigint,
            bgp_id           inet,
            local_address    inet,
            local_port       int,
            remote_port      int,
            four_octet_as    boolean,
            families         text[],
            add_path_rx      text[],
            add_path_tx      text[],
            first_seen       timestamptz NOT NULL DEFAULT now(),
            last_seen        timestamptz NOT NULL DEFAULT now(),
            is_up            boolean NOT NULL DEFAULT false,
            last_down_reason smallint,
            last_down_text   text,
            UNIQUE NULLS NOT DISTINCT (router_id, peer_type, distinguisher, address)
        );

        CREATE TABLE IF NOT EXISTS {schema}.peer_events (
            time                  timestamptz NOT NULL,
            arrival               timestamptz NOT NULL,
            router_id             int NOT NULL,
            peer_id               int NOT NULL,
            event                 text NOT NULL CHECK (event IN ('peer_up', 'peer_down')),
            reason                smallint,
            reason_text           text,
            notification_code     smallint,
            notification_subcode  smallint,
            notification_text     text,
            fsm_event_code        int
        );
        CREATE INDEX IF NOT EXISTS peer_events_peer_time ON {schema}.peer_events (peer_id, time);
        CREATE INDEX IF NOT EXISTS peer_events_time ON {schema}.peer_events (time);

        CREATE TABLE IF NOT EXISTS {schema}.path_attributes (
            attrs_id            bigint PRIMARY KEY,
            next_hop            inet,
            next_hop_link_local inet,
            origin              smallint,
            as_path             bigint[],
            communities         bigint[],
            ext_communities     bigint[],
            large_communities   text[],
            med                 bigint,
            local_pref          bigint,
            atomic_aggregate    boolean NOT NULL DEFAULT false,
            aggregator_asn      bigint,
            aggregator_address  inet,
            originator_id       inet,
            cluster_list        inet[],
            other_attributes    bytea,
            first_seen          timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS path_attributes_as_path ON {schema}.path_attributes USING gin (as_path);

        CREATE SEQUENCE IF NOT EXISTS {schema}.route_updates_seq CACHE 1000;
        CREATE TABLE IF NOT EXISTS {schema}.route_updates (
            seq              bigint NOT NULL,
            time             timestamptz NOT NULL,
            arrival          timestamptz NOT NULL,
            router_id        int NOT NULL,
            peer_id          int NOT NULL,
            rib              smallint NOT NULL,
            afi              smallint NOT NULL,
            safi             smallint NOT NULL,
            rd               bigint,
            prefix           cidr,
            path_id          bigint,
            labels           int[],
            is_withdrawn     boolean NOT NULL,
            attrs_id         bigint,
            evpn_route_type  smallint,
            esi              bytea,
            ethernet_tag     bigint,
            mac              macaddr,
            evpn_ip          inet,
            raw_nlri         bytea
        ) PARTITION BY RANGE (time);
        -- Rows whose time has no daily partition (old captures, clock skew) are kept here, never dropped.
        CREATE TABLE IF NOT EXISTS {schema}.route_updates_default PARTITION OF {schema}.route_updates DEFAULT;
        CREATE INDEX IF NOT EXISTS route_updates_prefix ON {schema}.route_updates USING gist (prefix inet_ops);
        CREATE INDEX IF NOT EXISTS route_updates_family_time ON {schema}.route_updates (afi, safi, time);
        CREATE INDEX IF NOT EXISTS route_updates_peer_time ON {schema}.route_updates (router_id, peer_id, time);
        CREATE INDEX IF NOT EXISTS route_updates_mac ON {schema}.route_updates (mac) WHERE mac IS NOT NULL;
        CREATE INDEX IF NOT EXISTS route_updates_rd ON {schema}.route_updates (rd) WHERE rd IS NOT NULL;

        -- Daily partitions [day, day + 1) for days_ahead + 1 days from first_day; existing ones are kept.
        CREATE OR REPLACE FUNCTION {schema}.ensure_route_update_partitions(first_day date, days_ahead int)
        RETURNS int LANGUAGE plpgsql AS $fn$
        DECLARE
            d date;
            created int := 0;
            part text;
        BEGIN
            FOR i IN 0 .. days_ahead LOOP
                d := first_day + i;
                part := 'route_updates_p' || to_char(d, 'YYYYMMDD');
                IF to_regclass(format('%I.%I', '{schema}', part)) IS NULL THEN
                    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.route_updates FOR VALUES FROM (%L) TO (%L)',
                        '{schema}', part, '{schema}', d::timestamptz, (d + 1)::timestamptz);
                    created := created + 1;
                END IF;
            END LOOP;
            RETURN created;
        END
        $fn$;

        CREATE TABLE IF NOT EXISTS {schema}.routes (
            router_id        int NOT NULL,
            peer_id          int NOT NULL,
            route_key        bytea NOT NULL,
            rib              smallint NOT NULL,
            afi              smallint NOT NULL,
            safi             smallint NOT NULL,
            rd               bigint,
            prefix           cidr,
            path_id          bigint,
            evpn_route_type  smallint,
            esi              bytea,
            ethernet_tag     bigint,
            mac              macaddr,
            evpn_ip          inet,
            raw_nlri         bytea,
            first_seen       timestamptz NOT NULL,
            last_seen        timestamptz NOT NULL,
            last_change      timestamptz NOT NULL,
            is_withdrawn     boolean NOT NULL,
            withdrawn_at     timestamptz,
            churn            bigint NOT NULL DEFAULT 0,
            attrs_id         bigint,
            labels           int[],
            PRIMARY KEY (peer_id, route_key)
        );
        CREATE INDEX IF NOT EXISTS routes_prefix ON {schema}.routes USING gist (prefix inet_ops);
        CREATE INDEX IF NOT EXISTS routes_mac ON {schema}.routes (mac) WHERE mac IS NOT NULL;

        CREATE TABLE IF NOT EXISTS {schema}.bmp_quarantine (
            time       timestamptz NOT NULL,
            router_id  int,
            router     text NOT NULL,
            reason     text NOT NULL,
            stream_offset bigint,
            raw        bytea NOT NULL
        );
        CREATE INDEX IF NOT EXISTS bmp_quarantine_time ON {schema}.bmp_quarantine (time);

        CREATE TABLE IF NOT EXISTS {schema}.jobs (
            name         text PRIMARY KEY,
            last_run     timestamptz,
            duration_ms  double precision,
            result       text,
            ok           boolean
        );

        CREATE OR REPLACE VIEW {schema}.route_updates_v AS
        SELECT u.seq, u.time, u.arrival, r.address AS router, r.sys_name, u.router_id, u.peer_id,
               p.address AS peer_address, p.asn AS peer_asn, p.distinguisher AS peer_distinguisher,
               u.rib, u.afi, u.safi, u.rd, u.prefix, u.path_id, u.labels, u.is_withdrawn,
               a.next_hop, a.origin, a.as_path, a.as_path[array_upper(a.as_path, 1)] AS origin_asn,
               a.communities, a.ext_communities, a.large_communities, a.med, a.local_pref,
               a.atomic_aggregate, a.aggregator_asn, a.aggregator_address, a.originator_id, a.cluster_list,
               u.evpn_route_type, u.esi, u.ethernet_tag, u.mac, u.evpn_ip, u.raw_nlri, u.attrs_id
        FROM {schema}.route_updates u
        JOIN {schema}.bmp_routers r ON r.id = u.router_id
        JOIN {schema}.bgp_peers p ON p.id = u.peer_id
        LEFT JOIN {schema}.path_attributes a ON a.attrs_id = u.attrs_id;

        CREATE OR REPLACE VIEW {schema}.routes_v AS
        SELECT s.*, r.address AS router, p.address AS peer_address, p.asn AS peer_asn,
               a.next_hop, a.origin, a.as_path, a.as_path[array_upper(a.as_path, 1)] AS origin_asn,
               a.communities, a.ext_communities, a.large_communities, a.med, a.local_pref
        FROM {schema}.routes s
        JOIN {schema}.bmp_routers r ON r.id = s.router_id
        JOIN {schema}.bgp_peers p ON p.id = s.peer_id
        LEFT JOIN {schema}.path_attributes a ON a.attrs_id = s.attrs_id;
        """;
}
