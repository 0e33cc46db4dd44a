using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// Counts like <see cref="SummarySink"/> and also collects every NLRI as the text key the oracle's
/// CSV can be reduced to: the prefix, "RD:prefix" for VPN, and "rt=N,rd=HEX,etag=N" for EVPN.
/// </summary>
internal sealed class NlriKeySink(DecodeSummary summary) : IBmpSink
{
    private readonly SummarySink _counts = new(summary);

    public Dictionary<(string Family, bool Withdrawn), HashSet<string>> Keys { get; } = [];

    public List<string> Errors { get; } = [];

    public static string KeyOf(in Nlri nlri)
    {
        if (nlri.IsEvpn)
        {
            Span<byte> rd = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(rd, nlri.Evpn.Rd.Value);
            return $"rt={(int)nlri.Evpn.RouteType},rd={Convert.ToHexStringLower(rd)},etag={nlri.Evpn.EthernetTag}";
        }

        return nlri.HasRd ? $"{nlri.Rd}:{nlri.Prefix}" : nlri.Prefix.ToString();
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

    public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds) =>
        _counts.OnAddPathFallback(message, peer, family, decodedWithPathIds);

    public void OnError(in BmpMessage message, in DecodeError error)
    {
        _counts.OnError(message, error);
        Errors.Add($"stream offset {message.StreamOffset} type {message.Header.Type}: {error}");
    }

    public void OnMessageEnd(in BmpMessage message)
    {
    }
}
