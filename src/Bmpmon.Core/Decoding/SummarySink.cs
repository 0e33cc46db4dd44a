using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Decoding;

/// <summary>A sink that only counts into a <see cref="DecodeSummary"/>.</summary>
public readonly struct SummarySink(DecodeSummary summary) : IBmpSink
{
    /// <summary>The counts.</summary>
    public DecodeSummary Summary { get; } = summary;

    /// <inheritdoc/>
    public void OnMessage(in BmpMessage message) => Summary.CountMessage(message.Header.Type);

    /// <inheritdoc/>
    public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
    {
    }

    /// <inheritdoc/>
    public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info) =>
        Summary.CountRoute(peer.Rib, nlri.Family, info.IsWithdrawal);

    /// <inheritdoc/>
    public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family) => Summary.CountEndOfRib();

    /// <inheritdoc/>
    public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds) =>
        Summary.CountAddPathFallback();

    /// <inheritdoc/>
    public void OnError(in BmpMessage message, in DecodeError error) => Summary.CountError(error);

    /// <inheritdoc/>
    public void OnMessageEnd(in BmpMessage message)
    {
    }
}
