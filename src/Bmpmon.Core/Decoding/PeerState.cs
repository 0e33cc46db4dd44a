using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Decoding;

/// <summary>What a BMP session has told us about one monitored peer; the decoder consults it to decode that peer's routes.</summary>
public sealed class PeerState
{
    /// <summary>Creates the state for a peer first seen in <paramref name="header"/>.</summary>
    public PeerState(PeerKey key, in PerPeerHeader header)
    {
        Key = key;
        Header = header;
    }

    /// <summary>The peer's identity within the session.</summary>
    public PeerKey Key { get; }

    /// <summary>The per-peer header of the latest Peer Up (or of the first message seen from the peer).</summary>
    public PerPeerHeader Header { get; internal set; }

    /// <summary>Capabilities negotiated in the last Peer Up's OPENs; null before any Peer Up was seen.</summary>
    public PeerCapabilities? Capabilities { get; internal set; }

    /// <summary>True between a Peer Up and the following Peer Down.</summary>
    public bool IsUp { get; internal set; }

    /// <summary>The router's end of the BGP session, from the last Peer Up (RFC 7854 s4.10; unset for Loc-RIB instances).</summary>
    public IpAddr LocalAddress { get; internal set; }

    /// <summary>The router's TCP port of the BGP session.</summary>
    public ushort LocalPort { get; internal set; }

    /// <summary>The peer's TCP port of the BGP session.</summary>
    public ushort RemotePort { get; internal set; }

    /// <summary>When the session came up, from the last Peer Up's per-peer header (the router's clock).</summary>
    public DateTime? UpSince { get; internal set; }

    /// <summary>The last Peer Down: when (the router's clock), the reason code (RFC 7854 s4.9) and its BGP NOTIFICATION code and subcode, if any.</summary>
    public PeerDownRecord? LastDown { get; internal set; }

    /// <summary>The router's timestamp of a per-peer header as UTC (RFC 7854 s4.2: seconds and microseconds since the epoch).</summary>
    public static DateTime TimestampOf(in PerPeerHeader header) =>
        DateTime.UnixEpoch.AddSeconds(header.TimestampSeconds).AddTicks(Math.Min(header.TimestampMicroseconds, 999_999u) * 10L);
}
