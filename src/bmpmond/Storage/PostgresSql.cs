namespace Bmpmond.Storage;

/// <summary>The writer's statements. Only parameters and COPY carry router data; <c>{s}</c> is the configured schema name.</summary>
internal static class PostgresSql
{
    public const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS attrs_stage (LIKE {s}.path_attributes INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS ru_stage (
            seq int, time timestamptz, arrival timestamptz, router_id int, peer_id int, rib smallint,
            afi smallint, safi smallint, rd bigint, prefix cidr, path_id bigint, labels int[],
            is_withdrawn boolean, attrs_id bigint, evpn_route_type smallint, esi bytea, ethernet_tag bigint,
            mac macaddr, evpn_ip inet, raw_nlri bytea, route_key bytea
        ) ON COMMIT DELETE ROWS;
        """;

    public const string CopyAttributes = """
        COPY attrs_stage (attrs_id, next_hop, next_hop_link_local, origin, as_path, communities, ext_communities,
            large_communities, med, local_pref, atomic_aggregate, aggregator_asn, aggregator_address, originator_id,
            cluster_list, other_attributes) FROM STDIN (FORMAT BINARY)
        """;

    public const string InsertAttributes = """
        INSERT INTO {s}.path_attributes SELECT DISTINCT ON (attrs_id) * FROM attrs_stage ORDER BY attrs_id ON CONFLICT (attrs_id) DO NOTHING
        """;

    public const string CopyRoutes = """
        COPY ru_stage (seq, time, arrival, router_id, peer_id, rib, afi, safi, rd, prefix, path_id, labels, is_withdrawn,
            attrs_id, evpn_route_type, esi, ethernet_tag, mac, evpn_ip, raw_nlri, route_key) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>The staging table has no statistics otherwise: the planner would take 10,000 rows for 9.</summary>
    public const string AnalyzeStaging = "ANALYZE ru_stage";

    public const string InsertRouteUpdates = """
        INSERT INTO {s}.route_updates (seq, time, arrival, router_id, peer_id, rib, afi, safi, rd, prefix, path_id, labels,
            is_withdrawn, attrs_id, evpn_route_type, esi, ethernet_tag, mac, evpn_ip, raw_nlri)
        SELECT nextval('{s}.route_updates_seq'), time, arrival, router_id, peer_id, rib, afi, safi, rd, prefix, path_id, labels,
            is_withdrawn, attrs_id, evpn_route_type, esi, ethernet_tag, mac, evpn_ip, raw_nlri
        FROM (SELECT * FROM ru_stage ORDER BY seq) s
        """;

    /// <summary>
    /// The current state from the staged rows with seq in [$1, $2): every route takes its peer's
    /// current sync generation (<c>bgp_peers.sync_gen</c>, bumped by Peer Up). Per route the first and last
    /// row, the transitions inside the batch (window functions), then one UPDATE of the known
    /// routes and one INSERT of the new ones, in one statement. The INSERT's ON CONFLICT DO NOTHING
    /// skips the keys the UPDATE just handled (both see the statement's snapshot, where they
    /// exist): a hash-free anti-join that a mis-estimated plan cannot turn quadratic.
    /// </summary>
    public const string UpsertRoutes = """
        WITH s AS (
            SELECT seq, time, router_id, peer_id, route_key, rib, afi, safi, rd, prefix, path_id, evpn_route_type,
                   CASE WHEN evpn_route_type IN (1, 4) THEN esi END AS esi, ethernet_tag, mac, evpn_ip, raw_nlri,
                   is_withdrawn, attrs_id, labels,
                   lag(is_withdrawn) OVER w AS prev_w, lag(attrs_id) OVER w AS prev_a
            FROM ru_stage WHERE seq >= $1 AND seq < $2
            WINDOW w AS (PARTITION BY peer_id, route_key ORDER BY seq)
        ), a AS (
            SELECT DISTINCT ON (peer_id, route_key) peer_id, route_key, router_id, rib, afi, safi, rd, prefix, path_id,
                   evpn_route_type, esi, ethernet_tag, mac, evpn_ip, raw_nlri, time AS last_time, is_withdrawn AS last_w, labels
            FROM s ORDER BY peer_id, route_key, seq DESC
        ), g AS (
            SELECT peer_id, route_key,
                   (array_agg(time ORDER BY seq))[1] AS first_time,
                   (array_agg(is_withdrawn ORDER BY seq))[1] AS first_w,
                   (array_agg(attrs_id ORDER BY seq))[1] AS first_a,
                   (array_agg(attrs_id ORDER BY seq DESC) FILTER (WHERE NOT is_withdrawn))[1] AS last_a,
                   count(*) FILTER (WHERE prev_w IS NOT NULL AND prev_w <> is_withdrawn) AS inner_churn,
                   (array_agg(time ORDER BY seq DESC) FILTER (WHERE prev_w IS NOT NULL
                        AND (prev_w <> is_withdrawn OR (NOT is_withdrawn AND prev_a IS DISTINCT FROM attrs_id))))[1] AS inner_change,
                   (array_agg(time ORDER BY seq DESC) FILTER (WHERE is_withdrawn AND prev_w IS NOT NULL AND NOT prev_w))[1] AS inner_w_start
            FROM s GROUP BY peer_id, route_key
        ), j AS (
            SELECT a.*, g.first_time, g.first_w, g.first_a, g.last_a, g.inner_churn, g.inner_change, g.inner_w_start, p.sync_gen
            FROM a JOIN g USING (peer_id, route_key) JOIN {s}.bgp_peers p ON p.id = a.peer_id
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
                sync_gen = j.sync_gen
            FROM j WHERE r.peer_id = j.peer_id AND r.route_key = j.route_key
        )
        INSERT INTO {s}.routes (router_id, peer_id, route_key, rib, afi, safi, rd, prefix, path_id, evpn_route_type, esi,
            ethernet_tag, mac, evpn_ip, raw_nlri, first_seen, last_seen, last_change, is_withdrawn, withdrawn_at, churn,
            attrs_id, labels, sync_gen)
        SELECT j.router_id, j.peer_id, j.route_key, j.rib, j.afi, j.safi, j.rd, j.prefix, j.path_id, j.evpn_route_type, j.esi,
               j.ethernet_tag, j.mac, j.evpn_ip, j.raw_nlri, j.first_time, j.last_time, COALESCE(j.inner_change, j.first_time),
               j.last_w, CASE WHEN j.last_w THEN COALESCE(j.inner_w_start, j.first_time) END, j.inner_churn, j.last_a,
               CASE WHEN j.last_w THEN NULL ELSE j.labels END, j.sync_gen
        FROM j
        ON CONFLICT (peer_id, route_key) DO NOTHING
        """;

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
