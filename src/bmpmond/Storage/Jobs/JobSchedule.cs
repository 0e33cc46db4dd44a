namespace Bmpmond.Storage.Jobs;

/// <summary>
/// How often each periodic job runs, and the retention periods. The defaults are what the daemon
/// uses; tests pass shorter intervals. Retention is not a setting (yet): five years of
/// <c>route_updates</c>, six months of <c>peer_events</c>, as the README says.
/// </summary>
internal sealed record JobSchedule
{
    /// <summary>Default <see cref="ResyncTimeout"/>: 15 minutes, well above the time a full table takes to arrive.</summary>
    public const int DefaultResyncTimeoutSeconds = 900;

    /// <summary>The defaults of <c>bmpmond run</c>.</summary>
    public static JobSchedule Default { get; } = new();

    /// <summary>Creates today's and the next two days' <c>route_updates</c> partitions.</summary>
    public TimeSpan Partitions { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Drops what is older than the retention periods.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Repairs <c>routes</c> rows that disagree with the newest <c>route_updates</c> row of their key.</summary>
    public TimeSpan Reconcile { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Sweeps the syncs that outlived <see cref="ResyncTimeout"/> without End-of-RIB.</summary>
    public TimeSpan Resync { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>BMPMOND_RESYNC_TIMEOUT</c>: how long after a Peer Up the routes of the peer's previous
    /// generations that no End-of-RIB swept are taken as withdrawn (routers that never send
    /// End-of-RIB for a family must not keep stale routes forever).
    /// </summary>
    public TimeSpan ResyncTimeout { get; init; } = TimeSpan.FromSeconds(DefaultResyncTimeoutSeconds);

    /// <summary>Logs one <c>db_stats</c> line.</summary>
    public TimeSpan Stats { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How far back reconciliation looks in <c>route_updates</c> (by arrival); it must cover a missed interval.</summary>
    public TimeSpan ReconcileWindow { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Rows that arrived this recently are left to the writer: the daemon commits a batch's history
    /// before its state, and retries a failed state half for up to <c>BMPMOND_DB_OUTAGE_EXIT</c>
    /// (5 minutes by default); repairing from the history meanwhile would race the writer.
    /// </summary>
    public TimeSpan ReconcileSettle { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The settle time for an outage limit (<c>BMPMOND_DB_OUTAGE_EXIT</c>): at least 10 minutes, and
    /// 5 minutes more than the limit, so a state half still being retried is never raced.
    /// </summary>
    public static TimeSpan SettleFor(TimeSpan outageExit)
    {
        var margin = outageExit + TimeSpan.FromMinutes(5);
        return margin > TimeSpan.FromMinutes(10) ? margin : TimeSpan.FromMinutes(10);
    }

    /// <summary>Whole daily partitions of <c>route_updates</c> older than this are dropped.</summary>
    public TimeSpan RouteUpdatesRetention { get; init; } = TimeSpan.FromDays(5 * 365);

    /// <summary><c>peer_events</c> rows that arrived longer ago than this are deleted (by arrival, so imported old captures stay).</summary>
    public TimeSpan PeerEventsRetention { get; init; } = TimeSpan.FromDays(183);

    /// <summary>The first run of every job comes this soon after start.</summary>
    public TimeSpan FirstRun { get; init; } = TimeSpan.FromSeconds(2);
}
