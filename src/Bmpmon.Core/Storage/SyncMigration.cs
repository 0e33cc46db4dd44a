namespace Bmpmon.Core.Storage;

/// <summary>
/// Schema step 4, resynchronisation and quarantine. A router that reconnects (the collector
/// restarted, so no Peer Down was ever seen) sends Peer Up, its whole table and End-of-RIB again:
/// each Peer Up starts a new sync generation of that peer (<c>bgp_peers.sync_gen</c>), every
/// announcement stamps its route with the peer's generation (<c>routes.sync_gen</c>), and at
/// End-of-RIB of a RIB and family (or after <c>BMPMOND_RESYNC_TIMEOUT</c>) the routes still on an
/// older generation are the stale ones: withdrawn in one set-based statement, never a
/// withdraw-everything storm. <c>peer_sync</c> keeps each sync's start, end and outcome.
/// Written with <c>IF NOT EXISTS</c> throughout, so it also applies where an earlier step added
/// the same column.
/// </summary>
public static class SyncMigration
{
    /// <summary>The step's SQL; <c>{schema}</c> stands for the schema name.</summary>
    public const string Sql = """
        ALTER TABLE {schema}.bgp_peers ADD COLUMN IF NOT EXISTS sync_gen int NOT NULL DEFAULT 0;
        -- The current generation's Peer Up: its time (router clock) and its arrival (collector clock).
        ALTER TABLE {schema}.bgp_peers ADD COLUMN IF NOT EXISTS sync_start timestamptz;
        ALTER TABLE {schema}.bgp_peers ADD COLUMN IF NOT EXISTS sync_arrival timestamptz;
        -- True from Peer Up until the resync job has swept what End-of-RIB did not (BMPMOND_RESYNC_TIMEOUT).
        ALTER TABLE {schema}.bgp_peers ADD COLUMN IF NOT EXISTS sync_pending boolean NOT NULL DEFAULT false;
        CREATE INDEX IF NOT EXISTS bgp_peers_sync_pending ON {schema}.bgp_peers (sync_arrival) WHERE sync_pending;

        ALTER TABLE {schema}.routes ADD COLUMN IF NOT EXISTS sync_gen int NOT NULL DEFAULT 0;

        CREATE TABLE IF NOT EXISTS {schema}.peer_sync (
            peer_id          int NOT NULL,
            rib              smallint NOT NULL,
            afi              smallint NOT NULL,
            safi             smallint NOT NULL,
            generation       int NOT NULL,
            sync_start       timestamptz NOT NULL,
            start_arrival    timestamptz NOT NULL,
            sync_end         timestamptz,
            routes_withdrawn bigint NOT NULL DEFAULT 0,
            ended_by         text CHECK (ended_by IN ('end_of_rib', 'timeout')),
            PRIMARY KEY (peer_id, rib, afi, safi, generation)
        );
        CREATE INDEX IF NOT EXISTS peer_sync_open ON {schema}.peer_sync (peer_id, generation) WHERE sync_end IS NULL;

        -- Where in the raw message the decoder stopped, and what kind of failure it was.
        ALTER TABLE {schema}.bmp_quarantine ADD COLUMN IF NOT EXISTS kind text;
        ALTER TABLE {schema}.bmp_quarantine ADD COLUMN IF NOT EXISTS error_offset int;
        CREATE INDEX IF NOT EXISTS bmp_quarantine_router_time ON {schema}.bmp_quarantine (router_id, time);
        """;
}
