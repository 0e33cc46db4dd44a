using System.Buffers;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Sessions;

/// <summary>
/// Cuts a BMP byte stream, fed in chunks of any size, into whole messages (RFC 7854 s3.2: BMP is a
/// stream of messages over TCP, each announcing its own length). Messages that sit wholly inside a
/// chunk are handed out in place; only a message split across chunks is copied, into a pooled buffer
/// that grows up to the message size limit and is returned once the message is out.
/// </summary>
/// <remarks>
/// A header with an unknown version or an impossible length means the stream is out of step and
/// cannot be trusted again (BMP has no resynchronisation marker): the framer records a
/// <see cref="FramingError"/> and ignores everything after it. The session owner closes the session.
/// </remarks>
public sealed class BmpFramer : IDisposable
{
    /// <summary>The default limit on one message: far above any real BMP message (a BGP message is at most 64 KiB).</summary>
    public const uint DefaultMaxMessageLength = 16 * 1024 * 1024;

    private readonly uint _maxMessageLength;
    private byte[]? _pending;
    private int _pendingLength;
    private long _streamOffset;

    /// <summary>Creates a framer that rejects messages longer than <paramref name="maxMessageLength"/> bytes.</summary>
    public BmpFramer(uint maxMessageLength = DefaultMaxMessageLength)
    {
        if (maxMessageLength < BmpCommonHeader.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessageLength));
        }

        _maxMessageLength = maxMessageLength;
    }

    /// <summary>Stream offset of the first byte not yet handed out as part of a message.</summary>
    public long StreamOffset => _streamOffset;

    /// <summary>Bytes held back because their message is not complete yet.</summary>
    public int PendingBytes => _pendingLength;

    /// <summary>Set once the framing is lost; the framer then ignores all input.</summary>
    public FramingError? Error { get; private set; }

    /// <summary>
    /// The bytes that could not be framed, from the stream offset of <see cref="Error"/> on (at most
    /// the message size limit of them, from the chunk that lost the framing), or, when the stream
    /// ended inside a message, that message's first bytes. Kept so they can be quarantined rather
    /// than lost; valid until <see cref="Dispose"/>.
    /// </summary>
    public ReadOnlySpan<byte> Unframed => _pending.AsSpan(0, _pendingLength);

    /// <summary>Messages handed out so far.</summary>
    public long MessageCount { get; private set; }

    /// <summary>
    /// Feeds the next chunk of the stream. Returns false when the framing is (or already was)
    /// lost; <see cref="Error"/> then says where and why.
    /// </summary>
    public bool Feed<THandler>(ReadOnlySpan<byte> chunk, ref THandler handler)
        where THandler : IBmpFrameHandler, allows ref struct
    {
        if (Error is not null)
        {
            return false;
        }

        if (_pendingLength > 0)
        {
            var taken = FillPending(chunk, ref handler);
            if (taken < 0)
            {
                return false;
            }

            chunk = chunk[taken..];
        }

        while (!chunk.IsEmpty)
        {
            if (!BmpCommonHeader.TryRead(chunk, _maxMessageLength, out var header, out var error))
            {
                if (error.Code == DecodeErrorCode.Truncated)
                {
                    Hold(chunk, BmpCommonHeader.Size);
                    return true;
                }

                Error = new FramingError(_streamOffset, error);
                KeepUnframed(chunk);
                return false;
            }

            if (header.Length > (uint)chunk.Length)
            {
                Hold(chunk, (int)header.Length);
                return true;
            }

            var length = (int)header.Length;
            Deliver(header, chunk[..length], ref handler);
            chunk = chunk[length..];
        }

        return true;
    }

    /// <summary>
    /// Declares the end of the stream. Returns false when bytes of an incomplete message remain
    /// (the stream ended inside a message); they are reported as a truncation error.
    /// </summary>
    public bool Complete(out FramingError? error)
    {
        error = Error;
        if (error is not null)
        {
            return false;
        }

        if (_pendingLength == 0)
        {
            return true;
        }

        error = new FramingError(_streamOffset, new DecodeError(DecodeErrorCode.Truncated, _pendingLength, "BMP message at end of stream"));
        return false;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_pending is not null)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
        }

        _pendingLength = 0;
    }

    private void Deliver<THandler>(in BmpCommonHeader header, ReadOnlySpan<byte> message, ref THandler handler)
        where THandler : IBmpFrameHandler, allows ref struct
    {
        var offset = _streamOffset;
        _streamOffset += message.Length;
        MessageCount++;
        handler.OnMessage(header, message, offset);
    }

    /// <summary>Completes the held-back message from the front of <paramref name="chunk"/>; returns the bytes taken, or -1 when framing is lost.</summary>
    private int FillPending<THandler>(ReadOnlySpan<byte> chunk, ref THandler handler)
        where THandler : IBmpFrameHandler, allows ref struct
    {
        var taken = 0;
        if (_pendingLength < BmpCommonHeader.Size)
        {
            var need = Math.Min(BmpCommonHeader.Size - _pendingLength, chunk.Length);
            Append(chunk[..need]);
            taken += need;
            if (_pendingLength < BmpCommonHeader.Size)
            {
                return taken;
            }
        }

        if (!BmpCommonHeader.TryRead(_pending.AsSpan(0, _pendingLength), _maxMessageLength, out var header, out var error))
        {
            Error = new FramingError(_streamOffset, error);
            var rest = chunk[taken..];
            Append(rest[..Math.Min(rest.Length, (int)Math.Min(_maxMessageLength, int.MaxValue) - _pendingLength)]);
            return -1;
        }

        var length = (int)header.Length;
        var more = Math.Min(length - _pendingLength, chunk.Length - taken);
        Append(chunk.Slice(taken, more));
        taken += more;
        if (_pendingLength == length)
        {
            _pendingLength = 0;
            Deliver(header, _pending.AsSpan(0, length), ref handler);
            ShrinkPending();
        }

        return taken;
    }

    private void KeepUnframed(ReadOnlySpan<byte> rest) => Hold(rest[..Math.Min(rest.Length, (int)Math.Min(_maxMessageLength, int.MaxValue))], 0);

    private void Hold(ReadOnlySpan<byte> partial, int expectedLength)
    {
        EnsurePendingCapacity(Math.Max(expectedLength, partial.Length));
        partial.CopyTo(_pending);
        _pendingLength = partial.Length;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        EnsurePendingCapacity(_pendingLength + bytes.Length);
        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    private void EnsurePendingCapacity(int capacity)
    {
        if (_pending is not null && _pending.Length >= capacity)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 4096));
        if (_pending is not null)
        {
            _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_pending);
        }

        _pending = bigger;
    }

    // A burst of large messages should not pin a large buffer for the life of a long session.
    private void ShrinkPending()
    {
        if (_pending is { Length: > 64 * 1024 })
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
        }
    }
}
