using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Bmpmond.Logging;
using Bmpmond.Output;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Daemon;

/// <summary>
/// Everything a router session does with what it decodes: counts it, hands routes and events to
/// the output, and logs router and peer events and malformed messages (rate-limited, so a router
/// sending garbage cannot flood the log: the rest are counted and reported with route_stats).
/// </summary>
internal sealed class RouterSessionSink : IBmpSink
{
    private const int ErrorLinesPerInterval = 20;

    private readonly string _router;
    private readonly ISessionOutput _output;
    private readonly RouterStats _stats;
    private readonly ILogger _logger;
    private readonly SummarySink _counts;
    private readonly bool _debug;
    private int _errorLines;

    public RouterSessionSink(string router, ISessionOutput output, RouterStats stats, ILogger logger)
    {
        _router = router;
        _output = output;
        _stats = stats;
        _logger = logger;
        _counts = new SummarySink(stats.Summary);
        _debug = logger.IsEnabled(LogLevel.Debug);
    }

    /// <summary>Starts a new rate-limit interval (called with each route_stats report).</summary>
    public void ResetErrorBudget() => Interlocked.Exchange(ref _errorLines, 0);

    public void OnMessage(in BmpMessage message)
    {
        _counts.OnMessage(message);
        if (_debug)
        {
            Log.MessageReceived(_logger, _router, MessageJson.TypeName(message.Header.Type), message.StreamOffset, message.Bytes.Length, Hex.FirstBytes(message.Bytes));
        }

        _output.OnMessage(message);
    }

    public void OnInitiation(in BmpMessage message, in InitiationMessage initiation)
    {
        var sysName = initiation.TryGetValue(InitiationTlvType.SysName, out var name) ? System.Text.Encoding.UTF8.GetString(name) : null;
        var sysDescr = initiation.TryGetValue(InitiationTlvType.SysDescr, out var descr) ? System.Text.Encoding.UTF8.GetString(descr) : null;
        (_stats.SysName, _stats.SysDescr) = (sysName, sysDescr);
        Log.RouterInitiation(_logger, _router, sysName, sysDescr);
        _output.OnInitiation(message, initiation);
    }

    public void OnTermination(in BmpMessage message, in TerminationMessage termination)
    {
        Log.RouterTermination(_logger, _router, termination.TryGetReason(out var reason) ? TerminationMessage.ReasonName(reason) : null);
        _output.OnTermination(message, termination);
    }

    public void OnPeerUp(in BmpMessage message, in PeerUpNotification peerUp, PeerState peer)
    {
        var header = peerUp.Peer;
        var capabilities = peer.Capabilities;
        Log.PeerUp(
            _logger,
            _router,
            PeerAddress(header),
            header.PeerAs,
            IpAddr.FromV4(header.PeerBgpId).ToString(),
            PeerJson.PeerTypeName(header.PeerType),
            new RouteDistinguisher(header.Distinguisher).ToString(),
            peerUp.LocalAddress.HasValue ? peerUp.LocalAddress.ToString() : null,
            peerUp.LocalPort,
            peerUp.RemotePort,
            capabilities is null ? string.Empty : string.Join(",", capabilities.Families.Select(f => f.Name)),
            capabilities is null ? string.Empty : string.Join(",", capabilities.AddPathAdjRibIn.Select(f => f.Name)),
            peer.UpSince,
            capabilities is null ? null : new CapabilitiesLogValue(capabilities));
        _output.OnPeerUp(message, peerUp, peer);
    }

    public void OnPeerDown(in BmpMessage message, in PeerDownNotification peerDown, PeerState peer)
    {
        // The decoder recorded the down (reason, NOTIFICATION, FSM event, since when the peer was up) before this call.
        var header = peerDown.Peer;
        var down = peer.LastDown!;
        Log.PeerDown(
            _logger,
            _router,
            PeerAddress(header),
            header.PeerAs,
            IpAddr.FromV4(header.PeerBgpId).ToString(),
            PeerJson.PeerTypeName(header.PeerType),
            new RouteDistinguisher(header.Distinguisher).ToString(),
            (byte)down.Reason,
            down.ReasonText,
            down.NotificationCode,
            down.NotificationSubcode,
            down.NotificationText,
            down.ShutdownCommunication,
            down.FsmEventCode,
            down.At,
            down.UpSince);
        _output.OnPeerDown(message, peerDown, peer);
    }

    public void OnStatisticsReport(in BmpMessage message, in StatisticsReport report) => _output.OnStatisticsReport(message, report);

    public void OnRouteMirroring(in BmpMessage message, in RouteMirroringMessage mirroring) => _output.OnRouteMirroring(message, mirroring);

    public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes) =>
        _output.OnRouteMonitoring(message, routeMonitoring, attributes);

    public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
    {
        _counts.OnRoute(message, peer, attributes, nlri, info);
        _output.OnRoute(message, peer, attributes, nlri, info);
    }

    public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family)
    {
        _counts.OnEndOfRib(message, peer, family);
        _output.OnEndOfRib(message, peer, family);
    }

    public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds)
    {
        _counts.OnAddPathFallback(message, peer, family, decodedWithPathIds);
        _output.OnAddPathFallback(message, peer, family, decodedWithPathIds);
    }

    public void OnError(in BmpMessage message, in DecodeError error)
    {
        _counts.OnError(message, error);
        _output.OnError(message, error);
        if (Interlocked.Increment(ref _errorLines) > ErrorLinesPerInterval)
        {
            _stats.SuppressedErrors++;
            return;
        }

        // The logger also hands this event (and peer up/down) to Sentry when it is configured.
        Log.MalformedMessage(_logger, _router, MessageJson.TypeName(message.Header.Type), error.Reason, error.Where, error.Offset, message.StreamOffset, Hex.FirstBytes(message.Bytes));
    }

    public void OnMessageEnd(in BmpMessage message) => _output.OnMessageEnd(message);

    private static string PeerAddress(in PerPeerHeader header) => header.PeerAddress.HasValue ? header.PeerAddress.ToString() : "0.0.0.0";
}
