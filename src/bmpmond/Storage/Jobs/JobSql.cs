namespace Bmpmond.Storage.Jobs;

/// <summary>The periodic jobs' SQL; <c>{s}</c> is the schema name (configuration, never router data).</summary>
internal static class JobSql
{
    public const string RecordJob = """
        INSERT INTO {s}.jobs (name, last_run, duration_ms, result, ok, interval_s) VALUES ($1, now(), $2, $3, $4, $5)
        ON CONFLICT (name) DO UPDATE SET last_run = now(), duration_ms = EXCLUDED.duration_ms, result = EXCLUDED.result,
            ok = EXCLUDED.ok, interval_s = EXCLUDED.interval_s
        """;

    /// <summary>Whether <c>route_updates</c> is natively partitioned, and whether TimescaleDB is created in the database (<see cref="StorageLayout"/>).</summary>
    public const string Layout = """
        SELECT COALESCE((SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass('{s}.route_updates')), false),
               EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
        """;

    public const string EnsurePartitions = "SELECT {s}.ensure_route_update_partitions(current_date, 2)";

    public const string DropRouteUpdatePartitions = "SELECT {s}.drop_route_update_partitions(now() - $1)";

    /// <summary>By arrival, not event time: a capture imported or replayed today keeps its old events for the whole period.</summary>
    public const string DeletePeerEvents = "DELETE FROM {s}.peer_events WHERE arrival < now() - $1";

    /// <summary>
    /// Reconciliation: per route key, the newest <c>route_updates</c> row that arrived within the
    /// window ($1) and before the settle time ($2: younger rows may belong to a batch whose state
    /// half is still to commit), and whether a Peer Down of its peer came after it, or a later sync
    /// of its peer, RIB and family ended (End-of-RIB or resync timeout) without it: then it was
    /// swept as stale. Every <c>routes</c> row that disagrees (announced where it should be
    /// withdrawn, or the reverse, or other attributes) is set to what that history says, in one
    /// statement. Rows that agree are not touched (no write, no churn).
    /// <para>
    /// A key is its columns as <c>routes</c> holds them (the ESI counts only for EVPN types 1 and
    /// 4) in one row value's text, which tells NULL from any value: an equality, so the join to
    /// <c>routes</c> is a hash join. Compared column by column with IS NOT DISTINCT FROM, which no
    /// hash or index serves, it was a nested loop over every route per key: a first load of 250k
    /// routes did not finish in ten minutes.
    /// </para>
    /// </summary>
    public const string Reconcile = """
        WITH latest AS (
            SELECT DISTINCT ON (peer_id, route) peer_id, route, rib, afi, safi, is_withdrawn, attrs_id, labels, time, arrival
            FROM (SELECT *, ROW(rib, afi, safi, rd, prefix, path_id, evpn_route_type, CASE WHEN evpn_route_type IN (1, 4) THEN esi END,
                                ethernet_tag, mac, evpn_ip, raw_nlri)::text AS route
                  FROM {s}.route_updates WHERE arrival >= now() - $1 AND arrival < now() - $2) u
            ORDER BY peer_id, route, seq DESC
        ), want AS (
            SELECT l.*, COALESCE(d.time, y.sync_end) AS down_time, (l.is_withdrawn OR d.time IS NOT NULL OR y.sync_end IS NOT NULL) AS withdrawn
            FROM latest l
            LEFT JOIN LATERAL (SELECT e.time FROM {s}.peer_events e
                               WHERE e.peer_id = l.peer_id AND e.event = 'peer_down' AND e.arrival > l.arrival
                               ORDER BY e.arrival LIMIT 1) d ON true
            LEFT JOIN LATERAL (SELECT y.sync_end FROM {s}.peer_sync y
                               WHERE y.peer_id = l.peer_id AND y.rib = l.rib AND y.afi = l.afi AND y.safi = l.safi
                                 AND y.sync_end IS NOT NULL AND y.start_arrival > l.arrival
                               ORDER BY y.start_arrival LIMIT 1) y ON true
        )
        UPDATE {s}.routes r SET
            is_withdrawn = w.withdrawn,
            withdrawn_at = CASE WHEN w.withdrawn THEN COALESCE(w.down_time, w.time) END,
            last_change = COALESCE(w.down_time, w.time),
            last_seen = GREATEST(r.last_seen, w.time),
            attrs_id = CASE WHEN w.withdrawn THEN r.attrs_id ELSE w.attrs_id END,
            labels = CASE WHEN w.withdrawn THEN r.labels ELSE w.labels END,
            churn = r.churn + CASE WHEN r.is_withdrawn <> w.withdrawn THEN 1 ELSE 0 END
        FROM want w
        WHERE r.peer_id = w.peer_id
          AND ROW(r.rib, r.afi, r.safi, r.rd, r.prefix, r.path_id, r.evpn_route_type, r.esi, r.ethernet_tag, r.mac, r.evpn_ip, r.raw_nlri)::text = w.route
          AND (r.is_withdrawn <> w.withdrawn OR (NOT w.withdrawn AND r.attrs_id IS DISTINCT FROM w.attrs_id))
        """;

    /// <summary>
    /// The resync timeout sweep ($1 the timeout). <c>due</c>: peers whose current generation's Peer
    /// Up arrived more than $1 ago and are still pending (claimed here, so a concurrent Peer Up,
    /// which sets the flag again with a new arrival, is never lost). Their routes on an older
    /// generation that no End-of-RIB withdrew are withdrawn at Peer Up time + $1; every family that
    /// had such routes or still has an open <c>peer_sync</c> row gets it closed as 'timeout'.
    /// Families that ended with End-of-RIB have no stale routes left and keep their rows.
    /// </summary>
    public const string SweepStaleSyncs = """
        WITH due AS (
            UPDATE {s}.bgp_peers SET sync_pending = false
            WHERE sync_pending AND sync_arrival < now() - $1
            RETURNING id, sync_gen, sync_start, sync_arrival
        ), swept AS (
            UPDATE {s}.routes r SET is_withdrawn = true, withdrawn_at = d.sync_start + $1, last_change = d.sync_start + $1, churn = r.churn + 1
            FROM due d
            WHERE r.peer_id = d.id AND r.sync_gen < d.sync_gen AND NOT r.is_withdrawn
            RETURNING r.peer_id, r.rib, r.afi, r.safi
        ), counts AS (
            SELECT peer_id, rib, afi, safi, count(*) AS n FROM swept GROUP BY peer_id, rib, afi, safi
        ), families AS (
            SELECT s.peer_id, s.rib, s.afi, s.safi
            FROM {s}.peer_sync s JOIN due d ON s.peer_id = d.id AND s.generation = d.sync_gen
            WHERE s.sync_end IS NULL
            UNION
            SELECT peer_id, rib, afi, safi FROM counts
        ), closed AS (
            INSERT INTO {s}.peer_sync AS ps (peer_id, rib, afi, safi, generation, sync_start, start_arrival, sync_end, routes_withdrawn, ended_by)
            SELECT f.peer_id, f.rib, f.afi, f.safi, d.sync_gen, d.sync_start, d.sync_arrival, d.sync_start + $1, COALESCE(c.n, 0), 'timeout'
            FROM families f JOIN due d ON d.id = f.peer_id
            LEFT JOIN counts c ON c.peer_id = f.peer_id AND c.rib = f.rib AND c.afi = f.afi AND c.safi = f.safi
            ON CONFLICT (peer_id, rib, afi, safi, generation) DO UPDATE
                SET sync_end = EXCLUDED.sync_end, routes_withdrawn = EXCLUDED.routes_withdrawn, ended_by = EXCLUDED.ended_by
                WHERE ps.sync_end IS NULL
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM due), (SELECT count(*) FROM swept)
        """;

    /// <summary>
    /// The stats line and <c>bmpmond status</c>: routers, peers, routes (live and withdrawn) and the
    /// ingest lag (now minus the newest arrival among rows whose time is within a day: partition
    /// pruning keeps that to the recent partitions and the DEFAULT one).
    /// </summary>
    public const string Stats = """
        SELECT (SELECT count(*) FROM {s}.bmp_routers),
               (SELECT count(*) FROM {s}.bmp_routers WHERE is_active),
               (SELECT count(*) FROM {s}.bgp_peers),
               (SELECT count(*) FROM {s}.bgp_peers WHERE is_up),
               (SELECT count(*) FROM {s}.routes WHERE NOT is_withdrawn),
               (SELECT count(*) FROM {s}.routes WHERE is_withdrawn),
               extract(epoch FROM now() - (SELECT max(arrival) FROM {s}.route_updates WHERE time >= now() - interval '1 day'))::double precision
        """;

    public static string For(string sql, string schema) => sql.Replace("{s}", schema, StringComparison.Ordinal);
}
