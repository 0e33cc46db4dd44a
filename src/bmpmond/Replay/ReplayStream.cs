using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;

namespace Bmpmond.Replay;

/// <summary>
/// One router-to-collector byte stream to replay, sent exactly as it is, with the message boundaries
/// found by walking the BMP common headers (RFC 7854 s4.1): the pacer sends whole messages, and the
/// report counts them. Bytes after the last whole message (a stream that ends inside a message, or
/// whose framing is lost) are the <see cref="TailLength"/>: sent as they are, right after the last message.
/// </summary>
internal sealed class ReplayStream
{
    private readonly int[] _messageEnds;

    private ReplayStream(string name, byte[] payload, int[] messageEnds)
    {
        Name = name;
        Payload = payload;
        _messageEnds = messageEnds;
    }

    /// <summary>Where the stream comes from, for messages: "FILE" or "FILE stream ROUTER".</summary>
    public string Name { get; }

    /// <summary>The bytes to send, never modified (shared by every connection that sends them).</summary>
    public byte[] Payload { get; }

    /// <summary>Whole BMP messages in the stream.</summary>
    public int MessageCount => _messageEnds.Length;

    /// <summary>Bytes after the last whole message.</summary>
    public int TailLength => Payload.Length - EndOfMessages;

    private int EndOfMessages => _messageEnds.Length == 0 ? 0 : _messageEnds[^1];

    /// <summary>Indexes the messages of <paramref name="payload"/>.</summary>
    public static ReplayStream Create(string name, byte[] payload)
    {
        var ends = new List<int>();
        var offset = 0;
        while (BmpCommonHeader.TryRead(payload.AsSpan(offset), BmpFramer.DefaultMaxMessageLength, out var header, out _)
            && header.Length <= (uint)(payload.Length - offset))
        {
            offset += (int)header.Length;
            ends.Add(offset);
        }

        return new ReplayStream(name, payload, [.. ends]);
    }

    /// <summary>Offset of the first byte of message <paramref name="index"/>.</summary>
    public int MessageStart(int index) => index == 0 ? 0 : _messageEnds[index - 1];

    /// <summary>Offset just after message <paramref name="index"/>; the last message takes the tail with it.</summary>
    public int MessageEnd(int index) => index == _messageEnds.Length - 1 ? Payload.Length : _messageEnds[index];

    /// <summary>Whole messages within the first <paramref name="bytes"/> bytes of the stream sent back to back, over and over.</summary>
    public long MessagesWithin(long bytes)
    {
        if (Payload.Length == 0)
        {
            return 0;
        }

        var copies = Math.DivRem(bytes, Payload.Length, out var rest);
        var index = Array.BinarySearch(_messageEnds, (int)rest);
        var partial = index >= 0 ? index + 1 : ~index;
        return (copies * _messageEnds.Length) + partial;
    }

    /// <summary>
    /// A block of <paramref name="copies"/> back-to-back copies of the stream, so that a short stream
    /// sent in a loop still goes out in large writes. Every prefix of whole copies is a valid loop.
    /// </summary>
    public byte[] Repeated(int copies)
    {
        var block = new byte[checked(Payload.Length * copies)];
        for (var i = 0; i < copies; i++)
        {
            Payload.CopyTo(block, i * Payload.Length);
        }

        return block;
    }
}
