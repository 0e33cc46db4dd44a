using System.Buffers;

namespace Bmpmond.Pipeline;

/// <summary>
/// The buffers batches are encoded into, pooled apart from <see cref="ArrayPool{T}.Shared"/>.
/// A batch waits in the queue for seconds under load, so its buffer outlives the young
/// generations; the shared pool keeps only a few dozen arrays per size, and the rest of a full
/// queue's worth became garbage that only a full collection frees: measured, bmpmond's peak RSS
/// reached 350 MB with <c>BMPMOND_MAX_PENDING_MB=64</c>. This pool keeps as many buffers as the
/// pending bound can hold at once, so a burst reuses them instead of allocating, and what it
/// retains is bounded by that same setting.
/// </summary>
internal static class BatchBufferPool
{
    /// <summary>The usual batch buffer (<see cref="PooledBufferWriter"/>'s first size).</summary>
    public const int TypicalSize = 64 * 1024;

    /// <summary>Larger buffers (a batch of huge messages) are allocated, not pooled.</summary>
    private const int MaxPooledSize = 16 * 1024 * 1024;

    /// <summary>Buffers per size: enough for the default 256 MiB bound in <see cref="TypicalSize"/> buffers.</summary>
    private const int DefaultBuffers = 4096;

    private static ArrayPool<byte> _pool = ArrayPool<byte>.Create(MaxPooledSize, DefaultBuffers);

    /// <summary>The pool batches rent from and return to.</summary>
    public static ArrayPool<byte> Shared => Volatile.Read(ref _pool);

    /// <summary>
    /// Sizes the pool for <paramref name="maxPendingBytes"/> (<c>BMPMOND_MAX_PENDING_MB</c>) plus
    /// one buffer per session; called once at start, before any session exists.
    /// </summary>
    public static void Configure(long maxPendingBytes, int maxSessions)
    {
        var buffers = (int)Math.Clamp((maxPendingBytes / TypicalSize) + maxSessions, 64, 1 << 20);
        Volatile.Write(ref _pool, ArrayPool<byte>.Create(MaxPooledSize, buffers));
    }
}
