using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Decoding;

/// <summary>
/// Receives what <see cref="BmpSessionDecoder"/> decodes. Implemented by structs or sealed classes
/// and passed by reference with a generic constraint, so calls are direct and inlinable. Every span
/// and ref struct handed in is valid only during the call.
/// </summary>
/// <remarks>
/// The callbacks for rare messages (Initiation, Termination, Peer Up/Down, Statistics, Route
/// Mirroring) have empty default bodies, so a sink implements only what it uses. A default body
/// called on a struct sink boxes it; that costs nothing that matters on messages this rare, and the
/// per-route callbacks have no defaults.
/// </remarks>
public interface IBmpSink
{
    /// <summary>A message was framed and is about to be decoded.</summary>
    void OnMessage(in BmpMessage message);

    /// <summary>An Initiation message (RFC 7854 s4.3).</summary>
    void OnInitiation(in BmpMessage message, in InitiationMessage initiation)
    {
    }

    /// <summary>A Termination message (RFC 7854 s4.5).</summary>
    void OnTermination(in BmpMessage message, in TerminationMessage termination)
    {
    }

    /// <summary>A Peer Up notification (RFC 7854 s4.10); <paramref name="peer"/> already holds the negotiated capabilities.</summary>
    void OnPeerUp(in BmpMessage message, in PeerUpNotification peerUp, PeerState peer)
    {
    }

    /// <summary>A Peer Down notification (RFC 7854 s4.9).</summary>
    void OnPeerDown(in BmpMessage message, in PeerDownNotification peerDown, PeerState peer)
    {
    }

    /// <summary>A Statistics Report (RFC 7854 s4.8).</summary>
    void OnStatisticsReport(in BmpMessage message, in StatisticsReport report)
    {
    }

    /// <summary>A Route Mirroring message (RFC 7854 s4.7).</summary>
    void OnRouteMirroring(in BmpMessage message, in RouteMirroringMessage mirroring)
    {
    }

    /// <summary>A Route Monitoring message whose UPDATE and attributes decoded (its TLVs, v4 or trailing, are in <paramref name="routeMonitoring"/>); its routes follow.</summary>
    void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes);

    /// <summary>One announced or withdrawn route of the current Route Monitoring message.</summary>
    void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info);

    /// <summary>An End-of-RIB marker (RFC 4724 s2) for <paramref name="family"/>.</summary>
    void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family);

    /// <summary>
    /// The NLRI of <paramref name="family"/> were decoded the other way than the OPENs negotiated:
    /// with path IDs when <paramref name="decodedWithPathIds"/>, without otherwise (RFC 7911 s4 says
    /// the OPENs decide; FRR and GoBGP contradict them, see real-exporters notes).
    /// </summary>
    void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds);

    /// <summary>The message body was malformed: the rest of the message is skipped, the stream goes on.</summary>
    void OnError(in BmpMessage message, in DecodeError error);

    /// <summary>The message is done (after its routes, or after an error).</summary>
    void OnMessageEnd(in BmpMessage message);
}
