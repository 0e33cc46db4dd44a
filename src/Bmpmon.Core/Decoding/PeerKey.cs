using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Decoding;

/// <summary>
/// Identifies a monitored peer within one BMP session (RFC 7854 s4.2: peer type, distinguisher and
/// address; RFC 9069 Loc-RIB instances differ by distinguisher only).
/// </summary>
public readonly record struct PeerKey(BmpPeerType PeerType, ulong Distinguisher, IpAddr Address)
{
    /// <summary>The key of the peer a per-peer header describes.</summary>
    public static PeerKey Of(in PerPeerHeader header) => new(header.PeerType, header.Distinguisher, header.PeerAddress);
}
