namespace Bmpmond.Storage;

/// <summary>The writer's statements. Only parameters and COPY carry router data; <c>{s}</c> is the configured schema name.</summary>
internal static class PostgresSql
{
    /// <summary>
    /// Per connection: the attribute sets of a batch, and one row per route key of a batch (or of
    /// the part before a Peer Down) with what the batch did to it, aggregated in the daemon. The
    /// writer's session joins only a batch's staged keys to <c>routes</c>: hash and merge joins
    /// are off so that join is always a nested loop over the primary key, whatever the statistics
    /// of the never-analyzed temp table say (measured: a hash join over a seq scan of all routes,
    /// 0.2 s per batch at 125k routes and growing with the table, where the probes take 20 ms).
    /// </summary>
    public const string CreateStaging = """
        SET enable_hashjoin = off;
        SET enable_mergejoin = off;
        CREATE TEMP TABLE IF NOT EXISTS attrs_stage (LIKE {s}.path_attributes INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS routes_stage (
            router_id int, peer_id int, route_key bytea, rib smallint, afi smallint, safi smallint, labels int[],
            rd bigint, prefix cidr, path_id bigint, evpn_route_type smallint, esi bytea, ethernet_tag bigint,
            mac macaddr, evpn_ip inet, raw_nlri bytea,
            first_time timestamptz, first_w boolean, first_a bigint, last_time timestamptz, last_w boolean, last_a bigint,
            inner_churn bigint, inner_change timestamptz, inner_w_start timestamptz
        ) ON COMMIT DELETE ROWS;
        """;

    /// <summary>Empties the staging tables inside a transaction (several batches in one transaction: <c>bmpmond import</c>).</summary>
    public const string ClearStaging = "TRUNCATE attrs_stage, routes_stage";

    public const string CopyAttributes = """
        COPY attrs_stage (attrs_id, next_hop, next_hop_link_local, origin, as_path, communities, ext_communities,
            large_communities, med, local_pref, atomic_aggregate, aggregator_asn, aggregator_address, originator_id,
            cluster_list, other_attributes) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// New sets straight into path_attributes, when none of the last ones staged existed there
    /// (PostgresBatchCommit.Parts.cs): a unique violation sends the batch's sets through
    /// <see cref="InsertAttributes"/> instead.
    /// </summary>
    public const string CopyAttributesDirect = """
        COPY {s}.path_attributes (attrs_id, next_hop, next_hop_link_local, origin, as_path, communities, ext_communities,
            large_communities, med, local_pref, atomic_aggregate, aggregator_asn, aggregator_address, originator_id,
            cluster_list, other_attributes) FROM STDIN (FORMAT BINARY)
        """;

    public const string InsertAttributes = """
        INSERT INTO {s}.path_attributes SELECT DISTINCT ON (attrs_id) * FROM attrs_stage ORDER BY attrs_id ON CONFLICT (attrs_id) DO NOTHING
        """;

    /// <summary>Straight into the partitioned table: seq comes from its default, row by row in the order sent (schema step 3).</summary>
    public const string CopyRouteUpdates = """
        COPY {s}.route_updates (time, arrival, router_id, peer_id, rib, afi, safi, labels, is_withdrawn, attrs_id,
            rd, prefix, path_id, evpn_route_type, esi, ethernet_tag, mac, evpn_ip, raw_nlri) FROM STDIN (FORMAT BINARY)
        """;

    public const string CopyRouteState = """
        COPY routes_stage (router_id, peer_id, rib, afi, safi, labels, rd, prefix, path_id, evpn_route_type, esi, ethernet_tag,
            mac, evpn_ip, raw_nlri, route_key, first_time, first_w, first_a, last_time, last_w, last_a, inner_churn,
            inner_change, inner_w_start) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>Between two parts of one batch (split at a Peer Down): ON COMMIT empties it otherwise.</summary>
    public const string ClearRouteState = "TRUNCATE routes_stage";

    /// <summary>
    /// The current state from the staged per-key rows (first and last row of the key in the batch,
    /// the transitions inside it, computed by the daemon): one UPDATE of the known routes joined on
    /// the primary key, and one INSERT of the new ones, in one statement. The INSERT's ON CONFLICT
    /// DO NOTHING skips the keys the UPDATE handled (both see the statement's snapshot, where they
    /// exist): no anti-join for a mis-estimated plan to get wrong. The UPDATE leaves a route alone
    /// when the batch changed nothing in it (same attributes, labels and sync generation, still
    /// announced, no withdrawal in between): last_seen is the time of the last update that changed
    /// the route or came with a new resync generation. Unchanged rows cost no new row version.
    /// </summary>
    public const string UpsertRoutes = """
        WITH staged AS (
            SELECT st.*, p.sync_gen FROM routes_stage st JOIN {s}.bgp_peers p ON p.id = st.peer_id
        ), upd AS (
            UPDATE {s}.routes r SET
                last_seen = j.last_time,
                churn = r.churn + j.inner_churn + CASE WHEN r.is_withdrawn <> j.first_w THEN 1 ELSE 0 END,
                last_change = COALESCE(j.inner_change,
                    CASE WHEN r.is_withdrawn <> j.first_w OR (NOT j.first_w AND r.attrs_id IS DISTINCT FROM j.first_a)
                         THEN j.first_time ELSE r.last_change END),
                withdrawn_at = CASE WHEN NOT j.last_w THEN NULL
                                    WHEN j.inner_w_start IS NOT NULL THEN j.inner_w_start
                                    WHEN r.is_withdrawn THEN r.withdrawn_at
                                    ELSE j.first_time END,
                is_withdrawn = j.last_w,
                attrs_id = COALESCE(j.last_a, r.attrs_id),
                labels = CASE WHEN j.last_w THEN r.labels ELSE j.labels END,
                sync_gen = CASE WHEN j.last_a IS NULL THEN r.sync_gen ELSE j.sync_gen END
            FROM staged j
            WHERE r.peer_id = j.peer_id AND r.route_key = j.route_key
              AND (j.inner_churn > 0 OR j.inner_change IS NOT NULL OR r.is_withdrawn <> j.first_w
                   OR (NOT j.first_w AND (r.attrs_id IS DISTINCT FROM j.first_a OR r.labels IS DISTINCT FROM j.labels
                                          OR r.sync_gen <> j.sync_gen)))
        )
        INSERT INTO {s}.routes (router_id, peer_id, route_key, rib, afi, safi, rd, prefix, path_id, evpn_route_type, esi,
            ethernet_tag, mac, evpn_ip, raw_nlri, first_seen, last_seen, last_change, is_withdrawn, withdrawn_at, churn,
            attrs_id, labels, sync_gen)
        SELECT j.router_id, j.peer_id, j.route_key, j.rib, j.afi, j.safi, j.rd, j.prefix, j.path_id, j.evpn_route_type, j.esi,
               j.ethernet_tag, j.mac, j.evpn_ip, j.raw_nlri, j.first_time, j.last_time, COALESCE(j.inner_change, j.first_time),
               j.last_w, CASE WHEN j.last_w THEN COALESCE(j.inner_w_start, j.first_time) END, j.inner_churn, j.last_a,
               CASE WHEN j.last_w THEN NULL ELSE j.labels END, j.sync_gen
        FROM staged j
        ON CONFLICT (peer_id, route_key) DO NOTHING
        """;

    /// <summary>
    /// Keys new to routes, from peers only this writer has inserted for (<see cref="FreshPeerRoutes"/>):
    /// the rows the INSERT of <see cref="UpsertRoutes"/> would make, computed in the daemon.
    /// </summary>
    public const string CopyNewRoutes = """
        COPY {s}.routes (router_id, peer_id, rib, afi, safi, labels, rd, prefix, path_id, evpn_route_type, esi, ethernet_tag,
            mac, evpn_ip, raw_nlri, route_key, first_seen, last_seen, last_change, is_withdrawn, withdrawn_at, churn,
            attrs_id, sync_gen) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>Whether the writer may treat a peer as fresh (<see cref="FreshPeerRoutes"/>).</summary>
    public const string PeerHasRoutes = "SELECT EXISTS (SELECT 1 FROM {s}.routes WHERE peer_id = $1)";

    /// <summary>The peers' sync generations as this transaction sees them (a Peer Up earlier in it counts).</summary>
    public const string PeerGenerations = "SELECT id, sync_gen FROM {s}.bgp_peers WHERE id = ANY($1)";

    /// <summary>A daemon writer's two <c>writer_progress</c> rows ($1).</summary>
    public const string RegisterWriter = "INSERT INTO {s}.writer_progress (writer, half) VALUES ($1, 'history'), ($1, 'state') ON CONFLICT DO NOTHING";

    /// <summary>Rows of writers idle for a week (daemons long gone).</summary>
    public const string ForgetOldWriters = "DELETE FROM {s}.writer_progress WHERE updated < now() - interval '7 days'";

    public const string ReadProgress = "SELECT half, batch FROM {s}.writer_progress WHERE writer = $1";

    /// <summary>
    /// In a half's transaction: the batch it commits ($1 writer, $2 half, $3 batch); no row when the
    /// batch is recorded already. The row comes back if it was dropped as old.
    /// </summary>
    public const string SetProgress = """
        INSERT INTO {s}.writer_progress AS p (writer, half, batch) VALUES ($1, $2, $3)
        ON CONFLICT (writer, half) DO UPDATE SET batch = EXCLUDED.batch, updated = now() WHERE p.batch < EXCLUDED.batch
        """;

    /// <summary>The lock waits of the parts the state waits for in the daemon (see PostgresBatchCommit.CommitHistory).</summary>
    public const string PartLockTimeout = "SET LOCAL lock_timeout = '30s'";

    public const string UpsertRouter = """
        INSERT INTO {s}.bmp_routers (address, collector) VALUES ($1, $2)
        ON CONFLICT (address) DO UPDATE SET last_seen = now(), is_active = true, collector = EXCLUDED.collector
        RETURNING id
        """;

    public const string UpsertPeer = """
        INSERT INTO {s}.bgp_peers (router_id, peer_type, distinguisher, address, asn, bgp_id) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (router_id, peer_type, distinguisher, address) DO UPDATE SET last_seen = now(), asn = EXCLUDED.asn, bgp_id = EXCLUDED.bgp_id
        RETURNING id
        """;

    public const string RouterInitiation = "UPDATE {s}.bmp_routers SET sys_name = $2, sys_descr = $3, last_seen = $4, is_active = true WHERE id = $1";

    public const string RouterTermination = "UPDATE {s}.bmp_routers SET last_seen = $2, is_active = false WHERE id = $1";

    public const string PeerUp = """
        UPDATE {s}.bgp_peers SET is_up = true, last_seen = $2, local_address = $3, local_port = $4, remote_port = $5,
            four_octet_as = $6, families = string_to_array($7, ','), add_path_rx = string_to_array($8, ','),
            add_path_tx = string_to_array($9, ',')
        WHERE id = $1
        """;

    public const string PeerDown = "UPDATE {s}.bgp_peers SET is_up = false, last_seen = $2, last_down_reason = $3, last_down_text = $4 WHERE id = $1";

    /// <summary>RFC 7854 s4.9: the peer's routes are gone; one set-based statement.</summary>
    public const string WithdrawPeerRoutes = """
        UPDATE {s}.routes SET is_withdrawn = true, withdrawn_at = $2, last_change = $2, churn = churn + 1
        WHERE peer_id = $1 AND NOT is_withdrawn
        """;

    public const string PeerEvent = """
        INSERT INTO {s}.peer_events (time, arrival, router_id, peer_id, event, reason, reason_text, notification_code,
            notification_subcode, notification_text, fsm_event_code)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        """;

    public const string EnsurePartitions = "SELECT {s}.ensure_route_update_partitions(current_date, 2)";

    public const string RecordJob = """
        INSERT INTO {s}.jobs (name, last_run, duration_ms, result, ok) VALUES ($1, now(), $2, $3, $4)
        ON CONFLICT (name) DO UPDATE SET last_run = now(), duration_ms = EXCLUDED.duration_ms, result = EXCLUDED.result, ok = EXCLUDED.ok
        """;

    public static string For(string sql, string schema) => sql.Replace("{s}", schema, StringComparison.Ordinal);
}
