using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmond.Output;

/// <summary>Writes one JSON line per route (<c>bmpmond decode --routes</c>) and counts into a summary.</summary>
internal sealed class RouteJsonSink(JsonLineWriter output, DecodeSummary summary, TextWriter errors) : IBmpSink
{
    private readonly SummarySink _counts = new(summary);

    /// <summary>The router whose stream is being decoded, as written in each line.</summary>
    public string Router { get; set; } = string.Empty;

    public void OnMessage(in BmpMessage message) => _counts.OnMessage(message);

    public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
    {
    }

    public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
    {
        _counts.OnRoute(message, peer, attributes, nlri, info);
        RouteJson.Write(output.Json, Router, peer, attributes, nlri, info);
        output.EndLine();
    }

    public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family) => _counts.OnEndOfRib(message, peer, family);

    public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds) =>
        _counts.OnAddPathFallback(message, peer, family, decodedWithPathIds);

    public void OnError(in BmpMessage message, in DecodeError error)
    {
        _counts.OnError(message, error);
        ErrorLine.Write(errors, Router, message, error);
    }

    public void OnMessageEnd(in BmpMessage message)
    {
    }
}
