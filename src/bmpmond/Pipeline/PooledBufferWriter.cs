using System.Buffers;

namespace Bmpmond.Pipeline;

/// <summary>An <see cref="IBufferWriter{T}"/> over pooled arrays whose filled buffer can be handed off as an <see cref="OutputBatch"/>.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private const int InitialSize = 64 * 1024;

    private byte[] _buffer = BatchBufferPool.Shared.Rent(InitialSize);
    private int _written;

    public int WrittenCount => _written;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Hands the written bytes off as a batch and starts a fresh buffer; null when nothing was written.</summary>
    public OutputBatch? Take(long routes, object? payload = null)
    {
        if (_written == 0)
        {
            return null;
        }

        var batch = new OutputBatch(_buffer, _written, routes, payload);
        _buffer = BatchBufferPool.Shared.Rent(InitialSize);
        _written = 0;
        return batch;
    }

    /// <summary>Returns the current buffer to the pool (the session is gone).</summary>
    public void Release()
    {
        BatchBufferPool.Shared.Return(_buffer);
        _buffer = [];
        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 256);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = BatchBufferPool.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        BatchBufferPool.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
