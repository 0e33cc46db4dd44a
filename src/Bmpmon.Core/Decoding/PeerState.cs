using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;

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
}
