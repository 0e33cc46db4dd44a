using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmond.Output;

/// <summary>
/// Writes one JSON line per BMP message (the default of <c>bmpmond decode</c>): the common header,
/// the per-peer header where there is one, and the decoded body; a Route Monitoring message lists
/// its routes. Counts into a summary as it goes.
/// </summary>
internal sealed class MessageJsonSink(JsonLineWriter output, DecodeSummary summary, TextWriter errors) : IBmpSink
{
    private readonly SummarySink _counts = new(summary);
    private bool _inRoutes;

    /// <summary>The router whose stream is being decoded, as written in each line.</summary>
    public string Router { get; set; } = string.Empty;

    public void OnMessage(in BmpMessage message)
    {
        _counts.OnMessage(message);
        var json = output.Json;
        json.WriteStartObject();
        json.WriteString("router", Router);
        json.WriteNumber("offset", message.StreamOffset);
        json.WriteNumber("version", message.Header.Version);
        json.WriteNumber("length", message.Header.Length);
        json.WriteString("type", MessageJson.TypeName(message.Header.Type));
    }

    public void OnInitiation(in BmpMessage message, in InitiationMessage initiation) => MessageJson.WriteInitiation(output.Json, initiation);

    public void OnTermination(in BmpMessage message, in TerminationMessage termination) => MessageJson.WriteTermination(output.Json, termination);

    public void OnPeerUp(in BmpMessage message, in PeerUpNotification peerUp, PeerState peer) => MessageJson.WritePeerUp(output.Json, peerUp, peer);

    public void OnPeerDown(in BmpMessage message, in PeerDownNotification peerDown, PeerState peer) => MessageJson.WritePeerDown(output.Json, peerDown);

    public void OnStatisticsReport(in BmpMessage message, in StatisticsReport report) => MessageJson.WriteStatistics(output.Json, report);

    public void OnRouteMirroring(in BmpMessage message, in RouteMirroringMessage mirroring) => MessageJson.WriteRouteMirroring(output.Json, mirroring);

    public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
    {
        var json = output.Json;
        PeerJson.WriteFields(json, routeMonitoring.Peer);
        MessageJson.WriteRouteMonitoringTlvs(json, routeMonitoring);
        AttributesJson.WriteFields(json, attributes);
    }

    public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
    {
        _counts.OnRoute(message, peer, attributes, nlri, info);
        var json = output.Json;
        if (!_inRoutes)
        {
            json.WriteStartArray("routes");
            _inRoutes = true;
        }

        json.WriteStartObject();
        json.WriteString("family", nlri.Family.Name);
        json.WriteString("action", info.IsWithdrawal ? "withdraw" : "announce");
        RouteJson.WriteNlriFields(json, nlri);
        if (!info.IsWithdrawal)
        {
            RouteJson.WriteIfSet(json, "next_hop", info.NextHop);
            RouteJson.WriteIfSet(json, "next_hop_link_local", info.LinkLocalNextHop);
        }

        json.WriteEndObject();
    }

    public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family)
    {
        _counts.OnEndOfRib(message, peer, family);
        output.Json.WriteString("end_of_rib", family.Name);
    }

    public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds)
    {
        _counts.OnAddPathFallback(message, peer, family, decodedWithPathIds);
    }

    public void OnError(in BmpMessage message, in DecodeError error)
    {
        _counts.OnError(message, error);
        CloseRoutes();
        var json = output.Json;
        json.WriteStartObject("error");
        json.WriteString("reason", error.Reason);
        json.WriteString("where", error.Where);
        json.WriteNumber("offset", error.Offset);
        json.WriteString("first_bytes", Convert.ToHexStringLower(message.Bytes[..Math.Min(256, message.Bytes.Length)]));
        json.WriteEndObject();
        ErrorLine.Write(errors, Router, message, error);
    }

    public void OnMessageEnd(in BmpMessage message)
    {
        CloseRoutes();
        output.Json.WriteEndObject();
        output.EndLine();
    }

    private void CloseRoutes()
    {
        if (_inRoutes)
        {
            output.Json.WriteEndArray();
            _inRoutes = false;
        }
    }
}
