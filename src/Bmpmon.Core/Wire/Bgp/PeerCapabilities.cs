using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>
/// What the two OPENs of a Peer Up negotiated, as the UPDATE decoder and an operator need it. Built
/// once per Peer Up (allocates); consulted per Route Monitoring message through small arrays
/// searched linearly (a session negotiates a handful of families).
/// </summary>
public sealed class PeerCapabilities
{
    private readonly AfiSafi[] _addPathAdjRibIn;
    private readonly AfiSafi[] _addPathAdjRibOut;

    private PeerCapabilities(Builder sent, Builder received, bool locRib)
    {
        FourOctetAs = sent.FourOctetAs && received.FourOctetAs;
        SentFamilies = sent.FamiliesOrDefault();
        ReceivedFamilies = received.FamiliesOrDefault();
        var common = new List<AfiSafi>();
        foreach (var f in SentFamilies)
        {
            if (ReceivedFamilies.Contains(f))
            {
                common.Add(f);
            }
        }

        Families = common;
        var addPathIn = new List<AfiSafi>();
        var addPathOut = new List<AfiSafi>();
        foreach (var entry in received.AddPath)
        {
            // RFC 7911 s4: routes the peer sends us carry path IDs when it can Send and we can Receive.
            if (entry.CanSend && sent.Can(entry.Family, AddPathDirection.Receive))
            {
                addPathIn.Add(entry.Family);
            }

            if (entry.CanReceive && sent.Can(entry.Family, AddPathDirection.Send))
            {
                addPathOut.Add(entry.Family);
            }
        }

        if (locRib)
        {
            // RFC 9069 s5.2: a Loc-RIB Peer Up carries a fabricated OPEN; Send in it says path IDs are present.
            addPathIn.Clear();
            foreach (var entry in sent.AddPath)
            {
                if (entry.CanSend)
                {
                    addPathIn.Add(entry.Family);
                }
            }
        }

        _addPathAdjRibIn = [.. addPathIn];
        _addPathAdjRibOut = [.. addPathOut];
        SentCapabilityCodes = sent.Codes;
        ReceivedCapabilityCodes = received.Codes;
        Fqdn = received.Fqdn;
        LocalFqdn = sent.Fqdn;
        PeerAs = received.As;
        LocalAs = sent.As;
        RouteRefresh = Both(sent, received, CapabilityCode.RouteRefresh) || Both(sent, received, CapabilityCode.RouteRefreshCisco);
        EnhancedRouteRefresh = Both(sent, received, CapabilityCode.EnhancedRouteRefresh);
        GracefulRestart = Both(sent, received, CapabilityCode.GracefulRestart);
        ExtendedMessage = Both(sent, received, CapabilityCode.ExtendedMessage);
        ExtendedNextHop = received.ExtendedNextHop;
        PeerRole = received.Role;
        HoldTime = Math.Min(sent.HoldTime, received.HoldTime);
    }

    /// <summary>Both OPENs carry the 4-octet AS capability (RFC 6793): AS_PATH uses 4-byte ASNs.</summary>
    public bool FourOctetAs { get; }

    /// <summary>Families both sides announced (RFC 4760); IPv4 unicast is implied for a side without the MP capability.</summary>
    public IReadOnlyList<AfiSafi> Families { get; }

    /// <summary>Families in the sent OPEN.</summary>
    public IReadOnlyList<AfiSafi> SentFamilies { get; }

    /// <summary>Families in the received OPEN.</summary>
    public IReadOnlyList<AfiSafi> ReceivedFamilies { get; }

    /// <summary>Families whose Adj-RIB-In routes (what the peer sent) carry ADD-PATH path IDs (for a Loc-RIB peer: its routes).</summary>
    public IReadOnlyList<AfiSafi> AddPathAdjRibIn => _addPathAdjRibIn;

    /// <summary>Families whose Adj-RIB-Out routes (what we sent, RFC 8671 O flag) carry path IDs.</summary>
    public IReadOnlyList<AfiSafi> AddPathAdjRibOut => _addPathAdjRibOut;

    /// <summary>Capability codes of the sent OPEN, in wire order.</summary>
    public IReadOnlyList<CapabilityCode> SentCapabilityCodes { get; }

    /// <summary>Capability codes of the received OPEN, in wire order.</summary>
    public IReadOnlyList<CapabilityCode> ReceivedCapabilityCodes { get; }

    /// <summary>The peer's FQDN capability as "host" or "host.domain", or null.</summary>
    public string? Fqdn { get; }

    /// <summary>The router's own FQDN capability, or null.</summary>
    public string? LocalFqdn { get; }

    /// <summary>The peer's AS (4-octet capability if present, else My AS).</summary>
    public uint PeerAs { get; }

    /// <summary>The router's AS (4-octet capability if present, else My AS).</summary>
    public uint LocalAs { get; }

    /// <summary>Both sides support route refresh (RFC 2918, or Cisco's pre-standard code 128).</summary>
    public bool RouteRefresh { get; }

    /// <summary>Both sides support enhanced route refresh (RFC 7313).</summary>
    public bool EnhancedRouteRefresh { get; }

    /// <summary>Both sides announced graceful restart (RFC 4724).</summary>
    public bool GracefulRestart { get; }

    /// <summary>Both sides support extended messages (RFC 8654): UPDATEs up to 65535 bytes.</summary>
    public bool ExtendedMessage { get; }

    /// <summary>The peer's Extended Next Hop Encoding entries (RFC 8950).</summary>
    public IReadOnlyList<ExtendedNextHopEntry> ExtendedNextHop { get; }

    /// <summary>The peer's BGP role (RFC 9234), or null.</summary>
    public BgpRole? PeerRole { get; }

    /// <summary>The negotiated hold time: the smaller of the two (RFC 4271 s4.2).</summary>
    public ushort HoldTime { get; }

    /// <summary>
    /// True when NLRI of <paramref name="family"/> carry a path ID (RFC 7911): for Adj-RIB-In when
    /// the peer can Send and the router can Receive, for Adj-RIB-Out (<paramref name="adjRibOut"/>) the reverse.
    /// </summary>
    public bool HasAddPath(AfiSafi family, bool adjRibOut)
    {
        var list = adjRibOut ? _addPathAdjRibOut : _addPathAdjRibIn;
        for (var i = 0; i < list.Length; i++)
        {
            if (list[i] == family)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Builds the negotiated view from the two OPENs of a Peer Up.</summary>
    /// <param name="sent">The OPEN the router sent.</param>
    /// <param name="received">The OPEN the router received.</param>
    /// <param name="locRib">True for a Loc-RIB instance peer (RFC 9069): add-path comes from the sent OPEN alone.</param>
    public static PeerCapabilities FromOpens(in BgpOpenMessage sent, in BgpOpenMessage received, bool locRib = false) =>
        new(Builder.From(sent), Builder.From(received), locRib);

    private static bool Both(Builder a, Builder b, CapabilityCode code) => a.Codes.Contains(code) && b.Codes.Contains(code);

    private sealed class Builder
    {
        public bool FourOctetAs;
        public uint As;
        public ushort HoldTime;
        public string? Fqdn;
        public BgpRole? Role;
        public readonly List<AfiSafi> Families = [];
        public readonly List<AddPathEntry> AddPath = [];
        public readonly List<CapabilityCode> Codes = [];
        public readonly List<ExtendedNextHopEntry> ExtendedNextHop = [];

        public AfiSafi[] FamiliesOrDefault() => Families.Count == 0 ? [AfiSafi.Ipv4Unicast] : [.. Families];

        public bool Can(AfiSafi family, AddPathDirection direction)
        {
            foreach (var entry in AddPath)
            {
                if (entry.Family == family && (entry.Direction & direction) != 0)
                {
                    return true;
                }
            }

            return false;
        }

        public static Builder From(in BgpOpenMessage open)
        {
            var b = new Builder { FourOctetAs = open.HasFourOctetAsCapability, As = open.FourOctetAs, HoldTime = open.HoldTime };
            var reader = open.GetCapabilities();
            while (reader.TryRead(out var capability, out _))
            {
                b.Codes.Add(capability.Code);
                switch (capability.Code)
                {
                    case CapabilityCode.Multiprotocol when MultiprotocolCapability.TryDecode(capability, out var family, out _):
                        if (!b.Families.Contains(family))
                        {
                            b.Families.Add(family);
                        }

                        break;
                    case CapabilityCode.AddPath when AddPathCapability.TryDecode(capability, out var addPath, out _):
                        for (var i = 0; i < addPath.Count; i++)
                        {
                            b.AddPath.Add(addPath[i]);
                        }

                        break;
                    case CapabilityCode.ExtendedNextHop when ExtendedNextHopCapability.TryDecode(capability, out var enh, out _):
                        for (var i = 0; i < enh.Count; i++)
                        {
                            b.ExtendedNextHop.Add(enh[i]);
                        }

                        break;
                    case CapabilityCode.Fqdn when FqdnCapability.TryDecode(capability, out var fqdn, out _):
                        b.Fqdn = fqdn.DomainBytes.IsEmpty ? fqdn.Hostname : fqdn.Hostname + "." + fqdn.Domain;
                        break;
                    case CapabilityCode.BgpRole when BgpRoleCapability.TryDecode(capability, out var role, out _):
                        b.Role = role;
                        break;
                    default:
                        break;
                }
            }

            return b;
        }
    }
}
