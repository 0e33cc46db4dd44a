using System.Buffers;
using System.Numerics;

namespace Bmpmond.Pipeline;

/// <summary>An <see cref="IBufferWriter{T}"/> over pooled arrays whose filled buffer can be handed off as an <see cref="OutputBatch"/>.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    /// <summary>The smallest buffer rented, and the first.</summary>
    public const int InitialSize = BatchBufferPool.TypicalSize;

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

    /// <summary>
    /// Hands the written bytes off as a batch and starts a fresh buffer the size this batch needed
    /// (<see cref="NextSize"/>); null when nothing was written.
    /// </summary>
    public OutputBatch? Take(long routes, object? payload = null)
    {
        if (_written == 0)
        {
            return null;
        }

        var batch = new OutputBatch(_buffer, _written, routes, payload);
        _buffer = BatchBufferPool.Shared.Rent(NextSize(_written));
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

    /// <summary>
    /// The buffer to rent after a batch of <paramref name="written"/> bytes: the pool's size that
    /// holds it, at least <see cref="InitialSize"/>. One socket read's routes encode into more bytes
    /// than were read (measured, ~1.6x for the PostgreSQL records of a full table), so a fixed
    /// 64 KiB start grew and copied nearly every batch under load; the next read of a burst is
    /// likely the same size, and a trickle falls back to the smallest buffer at once.
    /// </summary>
    internal static int NextSize(int written) =>
        written <= InitialSize ? InitialSize : (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)written), int.MaxValue);

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
