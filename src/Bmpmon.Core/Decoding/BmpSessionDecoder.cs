using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Decoding;

/// <summary>
/// Decodes the messages of one BMP session (one router's TCP stream) and keeps what decoding needs
/// from earlier messages: the monitored peers and the capabilities their Peer Ups negotiated.
/// Not thread-safe: one instance per session, fed in stream order.
/// </summary>
public sealed class BmpSessionDecoder
{
    private readonly Dictionary<PeerKey, PeerState> _peers = [];

    // A table dump is a long run of Route Monitoring messages from one peer: remembering the last
    // lookup saves hashing the 16-byte address for almost every message.
    private PeerKey _lastKey;
    private PeerState? _lastPeer;

    /// <summary>The peers seen so far in this session.</summary>
    public IReadOnlyCollection<PeerState> Peers => _peers.Values;

    /// <summary>Looks up a peer seen in this session.</summary>
    public bool TryGetPeer(PeerKey key, out PeerState? peer) => _peers.TryGetValue(key, out peer);

    /// <summary>
    /// Decodes one framed message and reports it to <paramref name="sink"/>. A malformed body is
    /// reported through <see cref="IBmpSink.OnError"/> and never throws.
    /// </summary>
    public void Decode<TSink>(in BmpCommonHeader header, ReadOnlySpan<byte> bytes, long streamOffset, ref TSink sink)
        where TSink : IBmpSink
    {
        var message = new BmpMessage(header, bytes, streamOffset);
        sink.OnMessage(message);
        var error = header.Type switch
        {
            BmpMessageType.RouteMonitoring => DecodeRouteMonitoring(message, ref sink),
            BmpMessageType.StatisticsReport => DecodeStatisticsReport(message, ref sink),
            BmpMessageType.PeerDownNotification => DecodePeerDown(message, ref sink),
            BmpMessageType.PeerUpNotification => DecodePeerUp(message, ref sink),
            BmpMessageType.Initiation => DecodeInitiation(message, ref sink),
            BmpMessageType.Termination => DecodeTermination(message, ref sink),
            BmpMessageType.RouteMirroring => DecodeRouteMirroring(message, ref sink),
            _ => new DecodeError(DecodeErrorCode.UnexpectedType, 5, "BMP common header"),
        };

        if (error.IsError)
        {
            sink.OnError(message, error);
        }

        sink.OnMessageEnd(message);
    }

    private DecodeError DecodeRouteMonitoring<TSink>(in BmpMessage message, ref TSink sink)
        where TSink : IBmpSink
    {
        if (!RouteMonitoringMessage.TryParse(message.Bytes, out var routeMonitoring, out var error))
        {
            return error;
        }

        return RouteMonitoringDecoder.Decode(message, routeMonitoring, FindPeer(routeMonitoring.Peer), ref sink);
    }

    private static DecodeError DecodeStatisticsReport<TSink>(in BmpMessage message, ref TSink sink)
        where TSink : IBmpSink
    {
        if (!StatisticsReport.TryParse(message.Bytes, out var report, out var error))
        {
            return error;
        }

        // Walk the TLVs once so that a malformed counter is reported as an error of this message.
        var tlvs = report.GetTlvs();
        while (tlvs.TryRead(out _, out error))
        {
        }

        if (error.IsError)
        {
            return error;
        }

        sink.OnStatisticsReport(message, report);
        return default;
    }

    private DecodeError DecodePeerUp<TSink>(in BmpMessage message, ref TSink sink)
        where TSink : IBmpSink
    {
        if (!PeerUpNotification.TryParse(message.Bytes, out var peerUp, out var error))
        {
            return error;
        }

        var peer = GetOrAddPeer(peerUp.Peer);
        peer.Header = peerUp.Peer;
        peer.Capabilities = PeerCapabilities.FromOpens(peerUp.SentOpen, peerUp.ReceivedOpen, locRib: peerUp.Peer.PeerType == BmpPeerType.LocRibInstance);
        peer.IsUp = true;
        peer.UpSince = PeerState.TimestampOf(peerUp.Peer);
        (peer.LocalAddress, peer.LocalPort, peer.RemotePort) = (peerUp.LocalAddress, peerUp.LocalPort, peerUp.RemotePort);
        sink.OnPeerUp(message, peerUp, peer);
        return default;
    }

    private DecodeError DecodePeerDown<TSink>(in BmpMessage message, ref TSink sink)
        where TSink : IBmpSink
    {
        if (!PeerDownNotification.TryParse(message.Bytes, out var peerDown, out var error))
        {
            return error;
        }

        var peer = GetOrAddPeer(peerDown.Peer);
        var notification = peerDown.Notification;
        var hasNotification = peerDown.HasNotification;
        peer.LastDown = new PeerDownRecord(
            PeerState.TimestampOf(peerDown.Peer),
            peerDown.Reason,
            hasNotification ? notification.ErrorCode : null,
            hasNotification ? notification.ErrorSubcode : null,
            hasNotification ? notification.ErrorText : null,
            hasNotification ? notification.ShutdownCommunicationText : null,
            peerDown.HasFsmEventCode ? peerDown.FsmEventCode : null,
            peer.UpSince);
        peer.IsUp = false;
        peer.UpSince = null;
        sink.OnPeerDown(message, peerDown, peer);

        // RFC 7854 s4.9: after a Peer Down the peer's state is gone; a later Peer Up renegotiates.
        peer.Capabilities = null;

        // The peer is down whatever its reason data says; bad data is still reported, after the event.
        return peerDown.DataError;
    }

    private static DecodeError DecodeInitiation<TSink>(in BmpMessage message, ref TSink sink)
        where TSink : IBmpSink
    {
        if (!InitiationMessage.TryParse(message.Bytes, out var initiation, out var error))
        {
            return error;
        }

        sink.OnInitiation(message, initiation);
        return default;
    }

    private static DecodeError DecodeTermination<TSink>(in BmpMessage message, ref TSink sink)
        where TSink : IBmpSink
    {
        if (!TerminationMessage.TryParse(message.Bytes, out var termination, out var error))
        {
            return error;
        }

        sink.OnTermination(message, termination);
        return default;
    }

    private static DecodeError DecodeRouteMirroring<TSink>(in BmpMessage message, ref TSink sink)
        where TSink : IBmpSink
    {
        if (!RouteMirroringMessage.TryParse(message.Bytes, out var mirroring, out var error))
        {
            return error;
        }

        sink.OnRouteMirroring(message, mirroring);
        return default;
    }

    private PeerState? FindPeer(in PerPeerHeader header)
    {
        var key = PeerKey.Of(header);
        if (_lastPeer is not null && key == _lastKey)
        {
            return _lastPeer;
        }

        if (_peers.TryGetValue(key, out var peer))
        {
            (_lastKey, _lastPeer) = (key, peer);
        }

        return peer;
    }

    private PeerState GetOrAddPeer(in PerPeerHeader header)
    {
        var key = PeerKey.Of(header);
        if (!_peers.TryGetValue(key, out var peer))
        {
            peer = new PeerState(key, header);
            _peers.Add(key, peer);
        }

        return peer;
    }
}
