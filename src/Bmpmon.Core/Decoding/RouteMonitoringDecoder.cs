using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Decoding;

/// <summary>
/// Turns one Route Monitoring message (RFC 7854 s4.6) into routes: the BGP UPDATE inside it, its
/// attributes, and every NLRI of its four NLRI-carrying fields. Allocation-free.
/// </summary>
internal static class RouteMonitoringDecoder
{
    public static DecodeError Decode<TSink>(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, PeerState? peerState, ref TSink sink)
        where TSink : IBmpSink
    {
        var peer = routeMonitoring.Peer;
        var pdu = routeMonitoring.BgpMessage;
        var pduOffset = routeMonitoring.BgpMessageOffset;
        if (!BgpMessageHeader.TryRead(pdu, pduOffset, out var bgpHeader, out var error))
        {
            return error;
        }

        if (bgpHeader.Type != BgpMessageType.Update)
        {
            return new DecodeError(DecodeErrorCode.UnexpectedType, pduOffset + 18, "BGP message in Route Monitoring");
        }

        var body = pdu[BgpMessageHeader.Size..bgpHeader.Length];
        var bodyOffset = pduOffset + BgpMessageHeader.Size;
        if (!BgpUpdate.TryParse(body, bodyOffset, out var update, out error))
        {
            return error;
        }

        if (!PathAttributes.TryParse(update.PathAttributes, update.PathAttributesOffset, UsesFourOctetAsn(peer, peerState), out var attributes, out error))
        {
            return error;
        }

        sink.OnRouteMonitoring(message, routeMonitoring, attributes);
        if (EndOfRib.TryGetFamily(update, attributes, out var endOfRibFamily))
        {
            sink.OnEndOfRib(message, peer, endOfRibFamily);
            return default;
        }

        var withdrawn = new RouteInfo(IsWithdrawal: true, NlriSource.WithdrawnRoutes, default, default);
        error = DecodeField(message, peer, attributes, peerState, update.WithdrawnRoutes, update.WithdrawnRoutesOffset, AfiSafi.Ipv4Unicast, withdrawn, ref sink);
        if (error.IsError)
        {
            return error;
        }

        if (attributes.HasMpUnreach)
        {
            var unreach = attributes.MpUnreach;
            var info = new RouteInfo(IsWithdrawal: true, NlriSource.MpUnreach, default, default);
            error = DecodeField(message, peer, attributes, peerState, unreach.Nlri, unreach.NlriOffset, unreach.Family, info, ref sink);
            if (error.IsError)
            {
                return error;
            }
        }

        var announced = new RouteInfo(IsWithdrawal: false, NlriSource.Nlri, attributes.NextHop, default);
        error = DecodeField(message, peer, attributes, peerState, update.Nlri, update.NlriOffset, AfiSafi.Ipv4Unicast, announced, ref sink);
        if (error.IsError)
        {
            return error;
        }

        if (attributes.HasMpReach)
        {
            var reach = attributes.MpReach;
            var info = new RouteInfo(IsWithdrawal: false, NlriSource.MpReach, reach.NextHop, reach.LinkLocalNextHop);
            error = DecodeField(message, peer, attributes, peerState, reach.Nlri, reach.NlriOffset, reach.Family, info, ref sink);
        }

        return error;
    }

    /// <summary>
    /// RFC 7854 s4.2: the A flag marks the legacy 2-byte AS_PATH encoding. Without it, a pre-policy
    /// Adj-RIB-In UPDATE is relayed as the peer sent it, so a peer whose OPENs did not negotiate
    /// 4-octet AS numbers (RFC 6793) still sends 2-byte ASNs. The attribute decoder also checks the
    /// encoding against the lengths, because exporters do not always set the flag right.
    /// </summary>
    private static bool UsesFourOctetAsn(in PerPeerHeader peer, PeerState? peerState)
    {
        if (peer.IsLegacyAsPath)
        {
            return false;
        }

        return peerState?.Capabilities is not { } capabilities || capabilities.FourOctetAs || peer.Rib != BmpRib.PrePolicy;
    }

    private static DecodeError DecodeField<TSink>(
        in BmpMessage message,
        in PerPeerHeader peer,
        in PathAttributes attributes,
        PeerState? peerState,
        ReadOnlySpan<byte> nlriBytes,
        int nlriOffset,
        AfiSafi family,
        in RouteInfo info,
        ref TSink sink)
        where TSink : IBmpSink
    {
        if (nlriBytes.IsEmpty)
        {
            return default;
        }

        var addPath = ChooseAddPath(message, peer, peerState, nlriBytes, family, info.IsWithdrawal, ref sink);
        var reader = new NlriReader(nlriBytes, nlriOffset, family, addPath, info.IsWithdrawal);
        DecodeError error;
        while (reader.TryRead(out var nlri, out error))
        {
            sink.OnRoute(message, peer, attributes, nlri, info);
        }

        return error;
    }

    /// <summary>
    /// RFC 7911 s4: path identifiers are present when the OPENs negotiated Add-Path for the family in
    /// this direction. Exporters break that both ways (FRR 8.4 and GoBGP 3.10 negotiate it and send
    /// no path IDs; a peer seen without its Peer Up leaves it unknown), so the negotiated encoding is
    /// used when the bytes fit it, the other one when only that fits or when both fit and only the
    /// negotiated reading repeats an NLRI (<see cref="NlriEncoding.ChooseAddPath"/>), and the switch is reported.
    /// </summary>
    private static bool ChooseAddPath<TSink>(in BmpMessage message, in PerPeerHeader peer, PeerState? peerState, ReadOnlySpan<byte> nlriBytes, AfiSafi family, bool isWithdrawal, ref TSink sink)
        where TSink : IBmpSink
    {
        var negotiated = peerState?.Capabilities?.HasAddPath(family, peer.IsAdjRibOut) ?? false;
        var chosen = NlriEncoding.ChooseAddPath(nlriBytes, family, negotiated, isWithdrawal);
        if (chosen != negotiated)
        {
            sink.OnAddPathFallback(message, peer, family, decodedWithPathIds: chosen);
        }

        return chosen;
    }
}
