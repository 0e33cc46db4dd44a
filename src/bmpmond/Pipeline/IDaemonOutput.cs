namespace Bmpmond.Pipeline;

/// <summary>
/// Where decoded routes and events go. The network path knows only this interface: the jsonl and
/// null outputs implement it today, the PostgreSQL writer plugs in the same way.
/// </summary>
internal interface IDaemonOutput : IDisposable
{
    /// <summary>A name for logs ("jsonl:/var/log/x", "null").</summary>
    string Name { get; }

    /// <summary>Starts the per-router encoder; called on the accept path, used only by that session's thread.</summary>
    ISessionOutput OpenSession(string router);

    /// <summary>Writes one batch; called only on the writer thread, in arrival order.</summary>
    void Write(OutputBatch batch);

    /// <summary>Makes what was written durable or visible; called on the writer thread when the queue runs empty and at shutdown.</summary>
    void Flush();
}
