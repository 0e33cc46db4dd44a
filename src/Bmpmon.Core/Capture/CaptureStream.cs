namespace Bmpmon.Core.Capture;

/// <summary>
/// One TCP direction carrying BMP (router to collector): the bytes a collector socket would have read.
/// </summary>
public sealed class CaptureStream
{
    /// <summary>The router end, "203.0.113.54:51402" or "[2001:db8::1]:29715"; "file" for a raw BMP file.</summary>
    public required string Source { get; init; }

    /// <summary>The collector end, written like <see cref="Source"/>.</summary>
    public required string Destination { get; init; }

    /// <summary>Reassembled in-order TCP payload; bytes lost in <see cref="Gaps"/> are left out, not zero-filled.</summary>
    public required byte[] Payload { get; init; }

    /// <summary>Order of first appearance among the BMP streams of the capture, from 0.</summary>
    public int Index { get; init; }

    /// <summary>
    /// The TCP conversation number as Wireshark's <c>tcp.stream</c> counts it: every TCP conversation
    /// (BMP or not, with or without payload) in order of first packet, and a new number when a SYN
    /// reuses the ports with a new initial sequence number. Matches the fixtures' <c>streamN</c> names.
    /// </summary>
    public int TcpStream { get; init; }

    /// <summary>Sequence holes (missing bytes), in stream order; empty when the capture saw every byte.</summary>
    public IReadOnlyList<CaptureGap> Gaps { get; init; } = [];
}
