using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>
/// One decoded NLRI, as <see cref="NlriReader"/> hands it out per route. A stack-only view: it
/// points into the message bytes (<see cref="Raw"/>) and allocates nothing.
/// </summary>
/// <remarks>
/// Which members are set depends on the family: <see cref="Prefix"/> for unicast, multicast,
/// labeled unicast (RFC 8277) and VPN (RFC 4364) routes and for EVPN IP Prefix routes;
/// <see cref="Rd"/> for VPN and EVPN; <see cref="Labels"/> for labeled unicast, VPN and EVPN;
/// <see cref="Evpn"/> for EVPN (RFC 7432). For a family this decoder cannot split
/// (<see cref="IsOpaque"/>), one NLRI covers the whole field and only <see cref="Raw"/> is set.
/// </remarks>
public readonly ref struct Nlri
{
    /// <summary>The address family the NLRI was decoded as.</summary>
    public AfiSafi Family { get; init; }

    /// <summary>True when the NLRI started with an Add-Path path identifier (RFC 7911 section 3).</summary>
    public bool HasPathId { get; init; }

    /// <summary>The Add-Path path identifier; 0 when <see cref="HasPathId"/> is false.</summary>
    public uint PathId { get; init; }

    /// <summary>The IP prefix (host bits as sent); default for EVPN route types other than 5 and for opaque NLRI.</summary>
    public IpPrefix Prefix { get; init; }

    /// <summary>True when <see cref="Rd"/> was on the wire (VPN and EVPN).</summary>
    public bool HasRd { get; init; }

    /// <summary>The Route Distinguisher of a VPN or EVPN route.</summary>
    public RouteDistinguisher Rd { get; init; }

    /// <summary>
    /// The label fields: the stack of a labeled unicast or VPN announcement, the single (ignored)
    /// label field of a withdrawal (RFC 8277 section 2.4), or EVPN label 1 [and label 2].
    /// </summary>
    public MplsLabelStack Labels { get; init; }

    /// <summary>True for an L2VPN EVPN route; see <see cref="Evpn"/>.</summary>
    public bool IsEvpn { get; init; }

    /// <summary>The EVPN route fields (RFC 7432 section 7, RFC 9136 section 3).</summary>
    public EvpnRoute Evpn { get; init; }

    /// <summary>True when the family has no decoding here: <see cref="Raw"/> holds the whole, unsplit NLRI field.</summary>
    public bool IsOpaque { get; init; }

    /// <summary>True when the NLRI came from withdrawn routes or MP_UNREACH_NLRI.</summary>
    public bool IsWithdrawal { get; init; }

    /// <summary>Exactly the NLRI's bytes on the wire, path identifier included.</summary>
    public ReadOnlySpan<byte> Raw { get; init; }

    /// <summary>Absolute offset of the NLRI's first byte (path identifier included) within the BMP message.</summary>
    public int Offset { get; init; }

    /// <summary>
    /// The NLRI in the text form of the oracle (Wireshark): "192.0.2.0/24",
    /// "RD=64499:105:192.0.42.0/24 label=917552", "evpn:rt=1,rd=00:01:...". For tests and
    /// output only: it allocates.
    /// </summary>
    public override string ToString() => NlriText.Format(this);
}
