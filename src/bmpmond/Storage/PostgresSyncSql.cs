namespace Bmpmond.Storage;

/// <summary>
/// The writer's statements for resynchronisation and quarantine (schema step 4); <c>{s}</c> is the
/// schema name. See <see cref="Bmpmon.Core.Storage.SyncMigration"/> for the model.
/// </summary>
internal static class PostgresSyncSql
{
    /// <summary>
    /// Peer Up ($1 peer, $2 time, $3 arrival): a new sync generation. The routes upserted after
    /// this carry it; the RIBs and families the peer synced before get an open <c>peer_sync</c> row.
    /// </summary>
    public const string StartSync = """
        WITH p AS (
            UPDATE {s}.bgp_peers SET sync_gen = sync_gen + 1, sync_start = $2, sync_arrival = $3, sync_pending = true
            WHERE id = $1
            RETURNING id, sync_gen, sync_start, sync_arrival
        )
        INSERT INTO {s}.peer_sync (peer_id, rib, afi, safi, generation, sync_start, start_arrival)
        SELECT DISTINCT p.id, s.rib, s.afi, s.safi, p.sync_gen, p.sync_start, p.sync_arrival
        FROM p JOIN {s}.peer_sync s ON s.peer_id = p.id
        ON CONFLICT (peer_id, rib, afi, safi, generation) DO NOTHING
        """;

    /// <summary>
    /// End-of-RIB ($1 peer, $2 rib, $3 afi, $4 safi, $5 time, $6 arrival): every route of that RIB
    /// and family still on an older generation was not re-announced: withdrawn at the End-of-RIB
    /// time, in one statement; the generation's <c>peer_sync</c> row is closed with the count.
    /// </summary>
    public const string EndOfRib = """
        WITH p AS (
            SELECT id, sync_gen, COALESCE(sync_start, $5) AS sync_start, COALESCE(sync_arrival, $6) AS sync_arrival
            FROM {s}.bgp_peers WHERE id = $1
        ), swept AS (
            UPDATE {s}.routes r SET is_withdrawn = true, withdrawn_at = $5, last_change = $5, churn = r.churn + 1
            FROM p
            WHERE r.peer_id = p.id AND r.rib = $2 AND r.afi = $3 AND r.safi = $4 AND NOT r.is_withdrawn AND r.sync_gen < p.sync_gen
            RETURNING 1
        )
        INSERT INTO {s}.peer_sync AS ps (peer_id, rib, afi, safi, generation, sync_start, start_arrival, sync_end, routes_withdrawn, ended_by)
        SELECT p.id, $2, $3, $4, p.sync_gen, p.sync_start, p.sync_arrival, $5, (SELECT count(*) FROM swept), 'end_of_rib' FROM p
        ON CONFLICT (peer_id, rib, afi, safi, generation) DO UPDATE
            SET sync_end = EXCLUDED.sync_end, routes_withdrawn = EXCLUDED.routes_withdrawn, ended_by = EXCLUDED.ended_by
            WHERE ps.sync_end IS NULL
        """;

    /// <summary>A message that could not be decoded, whole, so it can be decoded again after a fix.</summary>
    public const string Quarantine = """
        INSERT INTO {s}.bmp_quarantine (time, router_id, router, reason, stream_offset, raw, kind, error_offset)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """;
}
