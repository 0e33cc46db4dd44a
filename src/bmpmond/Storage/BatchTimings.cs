using System.Diagnostics;

namespace Bmpmond.Storage;

/// <summary>The statements of one batch commit, as <see cref="BatchTimings"/> accounts their time.</summary>
internal enum BatchStep
{
    /// <summary>Router and peer id upserts (their own transactions).</summary>
    Ids,

    /// <summary>COPY of new attribute sets into the staging table.</summary>
    CopyAttributes,

    /// <summary>INSERT .. ON CONFLICT DO NOTHING into path_attributes (GIN on as_path).</summary>
    InsertAttributes,

    /// <summary>COPY of the route rows into route_updates.</summary>
    CopyRouteUpdates,

    /// <summary>COPY of the rows of keys new to routes, from fresh peers.</summary>
    CopyNewRoutes,

    /// <summary>COPY of one row per route key into the current-state staging table.</summary>
    CopyRouteState,

    /// <summary>The routes upsert.</summary>
    UpsertRoutes,

    /// <summary>Router and peer events, Peer Down withdrawals.</summary>
    Events,

    /// <summary>The history waiting for the attribute sets to commit.</summary>
    WaitAttributes,

    /// <summary>The state waiting for the history to commit.</summary>
    WaitHistory,

    /// <summary>COMMIT.</summary>
    Commit,
}

/// <summary>
/// Cumulative wall time per <see cref="BatchStep"/> of the commits so far: a few timestamps per
/// batch, read by the DB-side bench (<c>Bmpmon.Bench batch-cost</c>) and logged by the daemon's
/// writer at shutdown (<c>database_writer_time</c>) to say which part of the commit is its critical path.
/// </summary>
internal sealed class BatchTimings
{
    private const int Steps = (int)BatchStep.Commit + 1;

    private readonly long[] _ticks = new long[Steps];
    private long _last;

    /// <summary>Starts timing the next step from now.</summary>
    public void Start() => _last = Stopwatch.GetTimestamp();

    /// <summary>Charges the time since the previous mark to <paramref name="step"/>.</summary>
    public void Mark(BatchStep step)
    {
        var now = Stopwatch.GetTimestamp();
        _ticks[(int)step] += now - _last;
        _last = now;
    }

    /// <summary>Seconds spent in <paramref name="step"/> so far.</summary>
    public double Seconds(BatchStep step) => _ticks[(int)step] / (double)Stopwatch.Frequency;

    /// <summary>Seconds in all steps so far.</summary>
    public double TotalSeconds => _ticks.Sum() / (double)Stopwatch.Frequency;

    /// <summary>Forgets the totals.</summary>
    public void Reset() => Array.Clear(_ticks);
}
