namespace Bmpmond.Pipeline;

/// <summary>
/// Where decoded routes and events go. The network path knows only this interface: the jsonl and
/// null outputs implement it today, the PostgreSQL writer plugs in the same way.
/// </summary>
internal interface IDaemonOutput : IDisposable
{
    /// <summary>A name for logs ("jsonl:/var/log/x", "null").</summary>
    string Name { get; }

    /// <summary>
    /// The most memory the output holds itself for data taken from the pipeline and not yet
    /// written (the PostgreSQL output's double buffer); the pipeline's queue gets what is left of
    /// <c>BMPMOND_MAX_PENDING_MB</c>, so the setting bounds all of it. 0 for outputs that write each batch at once.
    /// </summary>
    long HeldBytesBound => 0;

    /// <summary>
    /// True when the session side consumes the routes itself and queues nothing (the null output):
    /// every decoded route then counts as processed in <c>route_stats</c>.
    /// </summary>
    bool ConsumesInSession => false;

    /// <summary>Starts the per-router encoder; called on the accept path, used only by that session's thread.</summary>
    ISessionOutput OpenSession(string router);

    /// <summary>Writes one batch; called only on the writer thread, in arrival order.</summary>
    void Write(OutputBatch batch);

    /// <summary>Makes what was written durable or visible; called on the writer thread when the queue runs empty and at shutdown.</summary>
    void Flush();
}
