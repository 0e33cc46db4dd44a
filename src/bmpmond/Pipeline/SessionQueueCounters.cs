namespace Bmpmond.Pipeline;

/// <summary>
/// One router session's share of the pipeline: its batches and bytes queued and not yet written,
/// and the routes the output has taken from it. Updated by the pipeline once per batch (never per
/// route), under the pipeline's lock; read without it by the <c>route_stats</c> reporter.
/// </summary>
internal sealed class SessionQueueCounters
{
    private long _bytes;
    private long _batches;
    private long _routesWritten;

    /// <summary>Bytes of this session's batches waiting for the writer (the pooled buffers' size, as the pipeline counts them).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>This session's batches waiting for the writer.</summary>
    public long Batches => Volatile.Read(ref _batches);

    /// <summary>Routes of this session's batches that the output has taken.</summary>
    public long RoutesWritten => Volatile.Read(ref _routesWritten);

    /// <summary>A batch was queued (under the pipeline's lock).</summary>
    internal void Queued(OutputBatch batch)
    {
        Volatile.Write(ref _bytes, _bytes + batch.Capacity);
        Volatile.Write(ref _batches, _batches + 1);
    }

    /// <summary>A batch left the queue (under the pipeline's lock): written, or dropped at shutdown.</summary>
    internal void Dequeued(OutputBatch batch, bool written)
    {
        Volatile.Write(ref _bytes, _bytes - batch.Capacity);
        Volatile.Write(ref _batches, _batches - 1);
        if (written)
        {
            Volatile.Write(ref _routesWritten, _routesWritten + batch.Routes);
        }
    }
}
