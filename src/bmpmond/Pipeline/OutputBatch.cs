namespace Bmpmond.Pipeline;

/// <summary>
/// What one router session produced from one receive: encoded output bytes in a pooled buffer,
/// queued in arrival order to the writer thread. Batches, not routes, cross threads, so the queue
/// costs one hand-off per socket read.
/// </summary>
internal sealed class OutputBatch
{
    private byte[]? _buffer;

    public OutputBatch(byte[] buffer, int length, long routes, object? payload = null)
    {
        _buffer = buffer;
        Length = length;
        Capacity = buffer.Length;
        Routes = routes;
        Payload = payload;
    }

    /// <summary>What the output needs besides the bytes (the PostgreSQL output: the router session's state); null for jsonl.</summary>
    public object? Payload { get; }

    /// <summary>The encoded bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length);

    /// <summary>The encoded bytes' length.</summary>
    public int Length { get; }

    /// <summary>
    /// Bytes held (the pooled buffer's whole size, not just what is written): what the
    /// pending-memory bound counts, so <c>BMPMOND_MAX_PENDING_MB</c> bounds memory, not payload.
    /// </summary>
    public int Capacity { get; }

    /// <summary>Routes in the batch.</summary>
    public long Routes { get; }

    /// <summary>Gives the buffer back to the pool once the batch is written.</summary>
    public void Release()
    {
        if (_buffer is not null)
        {
            BatchBufferPool.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
