namespace Bmpmon.Core.Capture;

/// <summary>
/// One TCP segment as decoded from a frame. The payload is not copied: it is named by its
/// position in the capture file, and copied once, in order, when the stream is reassembled.
/// </summary>
internal readonly record struct TcpSegment(
    TcpEndpoint Source,
    TcpEndpoint Destination,
    uint SequenceNumber,
    TcpFlags Flags,
    int PayloadFileOffset,
    int PayloadLength)
{
    /// <summary>A connection opening: SYN without ACK (the SYN-ACK answers one and opens nothing).</summary>
    public bool IsOpeningSyn => (Flags & (TcpFlags.Syn | TcpFlags.Ack)) == TcpFlags.Syn;
}
