using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// Counts like <see cref="SummarySink"/> and also collects every NLRI as the text key the oracle's
/// CSV can be reduced to: the prefix, "RD:prefix" for VPN, every EVPN field, and " path=N" where
/// the NLRI carried an Add-Path path identifier.
/// </summary>
internal sealed class NlriKeySink(DecodeSummary summary) : IBmpSink
{
    private readonly SummarySink _counts = new(summary);

    public Dictionary<(string Family, bool Withdrawn), HashSet<string>> Keys { get; } = [];

    public List<string> Errors { get; } = [];

    /// <summary>Add-Path fallbacks per (peer, family, decoded with path ids).</summary>
    public Dictionary<(string Peer, string Family, bool WithPathIds), int> Fallbacks { get; } = [];

    public static string KeyOf(in Nlri nlri)
    {
        var key = nlri.IsEvpn ? EvpnKeyOf(nlri.Evpn) : nlri.HasRd ? $"{nlri.Rd}:{nlri.Prefix}" : nlri.Prefix.ToString();
        return WithPathId(key, nlri.HasPathId ? nlri.PathId : null);
    }

    /// <summary>The key with the Add-Path path identifier (RFC 7911) when the NLRI carried one.</summary>
    public static string WithPathId(string key, uint? pathId) => pathId is { } id ? $"{key} path={id}" : key;

    /// <summary>
    /// Every field of the route, in the order and units the oracle's rows give them: RD as hex bytes,
    /// ESI as type byte and value, labels as label values (the entry without its low 4 bits).
    /// </summary>
    public static string EvpnKeyOf(in EvpnRoute route)
    {
        Span<byte> rd = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(rd, route.Rd.Value);
        var key = new System.Text.StringBuilder();
        key.Append("rt=").Append((int)route.RouteType).Append(",rd=").Append(Convert.ToHexStringLower(rd));
        var type = route.RouteType;
        if (type is EvpnRouteType.EthernetAutoDiscovery or EvpnRouteType.MacIpAdvertisement or EvpnRouteType.EthernetSegment or EvpnRouteType.IpPrefix)
        {
            key.Append(",esi=").Append(route.Esi.ToString().ToLowerInvariant());
        }

        if (type is not EvpnRouteType.EthernetSegment)
        {
            key.Append(",etag=").Append(route.EthernetTag);
        }

        for (var i = 0; i < route.Labels.Count; i++)
        {
            key.Append(",label").Append(i + 1).Append('=').Append(route.Labels[i]);
        }

        if (type is EvpnRouteType.MacIpAdvertisement)
        {
            key.Append(",mac=").Append(route.Mac).Append(",ip=").Append(route.Ip).Append('/').Append(route.IpLength);
        }
        else if (type is EvpnRouteType.InclusiveMulticastEthernetTag or EvpnRouteType.EthernetSegment)
        {
            key.Append(",originator=").Append(route.OriginatorIp);
        }
        else if (type is EvpnRouteType.IpPrefix)
        {
            key.Append(",prefix=").Append(route.Ip).Append('/').Append(route.IpLength).Append(",gw=").Append(route.GatewayIp);
        }

        return key.ToString();
    }

    public void OnMessage(in BmpMessage message) => _counts.OnMessage(message);

    public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
    {
    }

    public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
    {
        _counts.OnRoute(message, peer, attributes, nlri, info);
        var key = (nlri.Family.Name, info.IsWithdrawal);
        if (!Keys.TryGetValue(key, out var set))
        {
            Keys[key] = set = [];
        }

        set.Add(KeyOf(nlri));
    }

    public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family) => _counts.OnEndOfRib(message, peer, family);

    public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds)
    {
        _counts.OnAddPathFallback(message, peer, family, decodedWithPathIds);
        var key = (FallbackPeer(peer), family.Name, decodedWithPathIds);
        Fallbacks[key] = Fallbacks.GetValueOrDefault(key) + 1;
    }

    /// <summary>A peer as the fallback table names it: the RIB, then the peer address, or the BGP ID for a Loc-RIB peer (whose address is zero).</summary>
    public static string FallbackPeer(in PerPeerHeader peer) =>
        $"{peer.Rib} {(peer.IsLocRib ? IpAddr.FromV4(peer.PeerBgpId) : peer.PeerAddress)}";

    public void OnError(in BmpMessage message, in DecodeError error)
    {
        _counts.OnError(message, error);
        Errors.Add($"stream offset {message.StreamOffset} type {message.Header.Type}: {error}");
    }

    public void OnMessageEnd(in BmpMessage message)
    {
    }
}
