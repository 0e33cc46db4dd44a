using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Decoding.BmpBuilder;

namespace Bmpmon.Tests.Decoding;

/// <summary>
/// The session decoder on hand-built sessions: how Peer Up state (RFC 7911 Add-Path, RFC 6793
/// 4-octet AS) drives Route Monitoring decoding, End-of-RIB, unknown families, and errors.
/// </summary>
public sealed class BmpSessionDecoderTests
{
    private static readonly byte[] OpenWithAddPathIpv4 = Open(65001, MultiprotocolCapability(1, 1), FourOctetAsCapability(65001), AddPathCapability(1, 1, 3));
    private static readonly byte[] OpenPlain4Byte = Open(65001, MultiprotocolCapability(1, 1), FourOctetAsCapability(65001));
    private static readonly byte[] OpenPlain2Byte = Open(65001, MultiprotocolCapability(1, 1));

    private static byte[] Ipv4Attributes() => [.. Origin(), .. AsPath4(65001, 4200000000), .. NextHop(192, 0, 2, 1)];

    [Fact]
    public void Negotiated_add_path_reads_path_ids()
    {
        var recorder = Decode(
            PeerUp(OpenWithAddPathIpv4, OpenWithAddPathIpv4),
            RouteMonitoring(Update([], Ipv4Attributes(), [0, 0, 0, 7, 24, 10, 0, 0, 0, 0, 0, 9, 24, 10, 0, 1])));

        Assert.Equal(["ipv4-unicast announce 10.0.0.0/24 path 7", "ipv4-unicast announce 10.0.1.0/24 path 9"], recorder.Routes);
        Assert.Equal(0, recorder.Summary.AddPathFallbacks);
    }

    [Fact]
    public void Field_that_fits_both_ways_is_read_as_negotiated()
    {
        // With path IDs: id 0x180a0000, 10.0.1.0/24. Without: 10.0.0.0/24, 10.0.1.0/24. The OPENs decide.
        var recorder = Decode(
            PeerUp(OpenWithAddPathIpv4, OpenWithAddPathIpv4),
            RouteMonitoring(Update([], Ipv4Attributes(), [24, 10, 0, 0, 24, 10, 0, 1])));

        Assert.Equal(["ipv4-unicast announce 10.0.1.0/24 path 403308544"], recorder.Routes);
        Assert.Equal(0, recorder.Summary.AddPathFallbacks);
    }

    [Fact]
    public void Negotiated_add_path_without_path_ids_falls_back_and_is_counted()
    {
        // FRR 8.4 and GoBGP 3.10: Add-Path in both OPENs, NLRI without path identifiers.
        var recorder = Decode(
            PeerUp(OpenWithAddPathIpv4, OpenWithAddPathIpv4),
            RouteMonitoring(Update([], Ipv4Attributes(), [24, 10, 0, 0, 24, 10, 0, 1, 24, 10, 0, 2])));

        Assert.Equal(["ipv4-unicast announce 10.0.0.0/24", "ipv4-unicast announce 10.0.1.0/24", "ipv4-unicast announce 10.0.2.0/24"], recorder.Routes);
        Assert.Equal(1, recorder.Summary.AddPathFallbacks);
    }

    [Fact]
    public void Path_ids_without_a_peer_up_are_detected_when_only_they_fit()
    {
        // As plain NLRI the first byte would be a prefix length of 33: only the path-ID reading fits.
        var recorder = Decode(RouteMonitoring(Update([], Ipv4Attributes(), [33, 0, 0, 7, 24, 10, 0, 0])));

        Assert.Equal(["ipv4-unicast announce 10.0.0.0/24 path 553648135"], recorder.Routes);
        Assert.Equal(1, recorder.Summary.AddPathFallbacks);
    }

    [Fact]
    public void Loc_rib_path_id_zero_is_not_read_as_default_routes_in_any_field()
    {
        // Capture 208: a Loc-RIB peer (RFC 9069) with no Peer Up sends path id 0 before each NLRI.
        // Read without path ids each field would also fit, as four 0/0 (::/0) plus the host route.
        byte[] v4 = [0, 0, 0, 0, 32, 192, 0, 2, 15];
        byte[] v6 = [0, 0, 0, 0, 128, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x15];
        var nextHop = new byte[16];
        nextHop[0] = 0x20;
        var recorder = Decode(
            RouteMonitoring(Update([], Ipv4Attributes(), v4), peerType: 3),
            RouteMonitoring(Update(v4, [], []), peerType: 3),
            RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001), .. MpReach(2, 1, nextHop, v6)], []), peerType: 3),
            RouteMonitoring(Update([], MpUnreach(2, 1, v6), []), peerType: 3));

        Assert.Equal(
            [
                "ipv4-unicast announce 192.0.2.15/32 path 0", "ipv4-unicast withdraw 192.0.2.15/32 path 0",
                "ipv6-unicast announce 2001:db8::15/128 path 0", "ipv6-unicast withdraw 2001:db8::15/128 path 0",
            ],
            recorder.Routes);
        Assert.Equal(4, recorder.Summary.AddPathFallbacks);
    }

    [Fact]
    public void Negotiated_path_ids_that_would_repeat_a_route_fall_back_to_plain_and_are_counted()
    {
        // With path ids: (0x20880250, 12.0.0.0/8) twice, a repeat. Without: four distinct prefixes.
        byte[] field = [0x20, 0x88, 0x02, 0x50, 8, 12, 0x20, 0x88, 0x02, 0x50, 8, 12];
        var recorder = Decode(PeerUp(OpenWithAddPathIpv4, OpenWithAddPathIpv4), RouteMonitoring(Update([], Ipv4Attributes(), field)));

        Assert.Equal(4, recorder.Routes.Count);
        Assert.DoesNotContain(recorder.Routes, r => r.Contains("path", StringComparison.Ordinal));
        Assert.Equal(1, recorder.Summary.AddPathFallbacks);
    }

    [Fact]
    public void Peer_down_forgets_the_negotiated_add_path()
    {
        var recorder = Decode(
            PeerUp(OpenWithAddPathIpv4, OpenWithAddPathIpv4),
            PeerDown(4, []),
            RouteMonitoring(Update([], Ipv4Attributes(), [24, 10, 0, 0])));

        Assert.Equal(["ipv4-unicast announce 10.0.0.0/24"], recorder.Routes);
        Assert.Equal(0, recorder.Summary.AddPathFallbacks);
    }

    [Fact]
    public void A_flag_means_two_byte_as_path()
    {
        byte[] attributes = [.. Origin(), .. AsPath2(65001, 23456, 64512), .. NextHop(192, 0, 2, 1)];
        var recorder = Decode(RouteMonitoring(Update([], attributes, [8, 10]), flags: 0x20));

        Assert.Equal("65001 23456 64512", recorder.AsPaths.Single());
    }

    [Fact]
    public void Pre_policy_peer_without_four_octet_as_sends_two_byte_as_path()
    {
        byte[] attributes = [.. Origin(), .. AsPath2(65001, 64512), .. NextHop(192, 0, 2, 1)];
        var recorder = Decode(PeerUp(OpenPlain2Byte, OpenPlain2Byte), RouteMonitoring(Update([], attributes, [8, 10])));

        Assert.Equal("65001 64512", recorder.AsPaths.Single());
    }

    [Fact]
    public void Four_octet_session_reads_four_byte_asns()
    {
        var recorder = Decode(PeerUp(OpenPlain4Byte, OpenPlain4Byte), RouteMonitoring(Update([], Ipv4Attributes(), [8, 10])));

        Assert.Equal("65001 4200000000", recorder.AsPaths.Single());
    }

    [Fact]
    public void End_of_rib_markers_are_reported_per_family_and_are_not_routes()
    {
        var recorder = Decode(
            RouteMonitoring(Update([], [], [])),
            RouteMonitoring(Update([], MpUnreach(2, 1, []), [])),
            RouteMonitoring(Update([], MpUnreach(25, 70, []), [])));

        Assert.Equal(["ipv4-unicast", "ipv6-unicast", "l2vpn-evpn"], recorder.EndOfRib);
        Assert.Empty(recorder.Routes);
        Assert.Equal(3, recorder.Summary.EndOfRib);
    }

    [Fact]
    public void Withdrawals_come_from_both_the_classic_field_and_mp_unreach()
    {
        byte[] ipv6Withdrawal = [32, 0x20, 0x01, 0x0d, 0xb8];
        var recorder = Decode(RouteMonitoring(Update([16, 10, 1], MpUnreach(2, 1, ipv6Withdrawal), [])));

        Assert.Equal(["ipv4-unicast withdraw 10.1.0.0/16", "ipv6-unicast withdraw 2001:db8::/32"], recorder.Routes);
    }

    [Fact]
    public void Mp_reach_routes_carry_its_next_hop()
    {
        byte[] nextHop = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        var recorder = Decode(RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001), .. MpReach(2, 1, nextHop, [48, 0x20, 0x01, 0x0d, 0xb8, 0, 1])], [])));

        Assert.Equal(["ipv6-unicast announce 2001:db8:1::/48"], recorder.Routes);
        Assert.Equal("2001:db8::1", recorder.NextHops.Single());
    }

    [Fact]
    public void Ipv6_multicast_routes_are_announced_and_withdrawn_through_mp_reach_and_mp_unreach()
    {
        // RFC 4760 s5: AFI 2 SAFI 2 uses the unicast prefix encoding; ff00::/8, ff05::1:3/128, ff3e::/16.
        byte[] nextHop = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        byte[] announced = [8, 0xff, 128, 0xff, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3];
        byte[] withdrawn = [16, 0xff, 0x3e];
        var recorder = Decode(
            RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001), .. MpReach(2, 2, nextHop, announced)], [])),
            RouteMonitoring(Update([], MpUnreach(2, 2, withdrawn), [])));

        Assert.Equal(["ipv6-multicast announce ff00::/8", "ipv6-multicast announce ff05::1:3/128", "ipv6-multicast withdraw ff3e::/16"], recorder.Routes);
        Assert.Equal(["2001:db8::1", "2001:db8::1"], recorder.NextHops);
        Assert.Equal((2, 1), (recorder.Summary.Nlri[new AfiSafi(Afi.Ipv6, Safi.Multicast)].Announced, recorder.Summary.Nlri[new AfiSafi(Afi.Ipv6, Safi.Multicast)].Withdrawn));
        Assert.Empty(recorder.Summary.Errors);
    }

    [Fact]
    public void Unknown_family_is_counted_and_kept_raw_never_an_error()
    {
        // AFI 1 SAFI 133 (flow specification): no decoding here, so the NLRI field is one raw route.
        var recorder = Decode(RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001), .. MpReach(1, 133, [], [5, 1, 24, 10, 0, 0])], [])));

        Assert.Equal(["ipv4-flowspec announce raw 0501180a0000"], recorder.Routes);
        Assert.Empty(recorder.Summary.Errors);
    }

    [Fact]
    public void Malformed_update_is_one_error_and_the_next_message_decodes()
    {
        // Attribute length 9 runs past the 4-byte attribute block.
        var broken = RouteMonitoring(Update([], [0x40, 1, 9, 0], [8, 10]));
        var recorder = Decode(broken, RouteMonitoring(Update([], Ipv4Attributes(), [8, 11])));

        Assert.Equal(["ipv4-unicast announce 11.0.0.0/8"], recorder.Routes);
        Assert.Equal(1, recorder.Summary.Errors.Values.Sum());
        var error = Assert.Single(recorder.Errors);
        Assert.Equal(DecodeErrorCode.Truncated, error.Code);
    }

    [Fact]
    public void Route_monitoring_must_carry_an_update()
    {
        var keepalive = Message(0, [.. PerPeerHeader(), .. Bgp(4, [])]);
        var recorder = Decode(keepalive);

        var error = Assert.Single(recorder.Errors);
        Assert.Equal(DecodeErrorCode.UnexpectedType, error.Code);
        Assert.Equal(6 + 42 + 18, error.Offset);
    }

    [Fact]
    public void Peer_up_state_is_kept_per_peer_and_visible_to_the_sink()
    {
        var decoder = new BmpSessionDecoder();
        var recorder = new Recorder();
        Feed(decoder, recorder, PeerUp(OpenWithAddPathIpv4, OpenWithAddPathIpv4));

        var peer = Assert.Single(decoder.Peers);
        Assert.True(peer.IsUp);
        Assert.True(peer.Capabilities!.HasAddPath(AfiSafi.Ipv4Unicast, adjRibOut: false));
        Assert.Equal(IpAddr.FromV4(PeerAddress), peer.Key.Address);
    }

    [Fact]
    public void Peer_state_records_up_since_and_the_last_down_with_its_reason()
    {
        var decoder = new BmpSessionDecoder();
        var recorder = new Recorder();
        Feed(decoder, recorder, PeerUp(OpenPlain4Byte, OpenPlain4Byte));
        var peer = Assert.Single(decoder.Peers);
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1_700_000_000), peer.UpSince);
        Assert.Null(peer.LastDown);
        Assert.Equal((IpAddr.FromV4(1), (ushort)179, (ushort)40000), (peer.LocalAddress, peer.LocalPort, peer.RemotePort));

        // Reason 1 with a NOTIFICATION: Cease (6), administrative shutdown (2).
        Feed(decoder, recorder, PeerDown(1, Bgp(3, [6, 2])));
        Assert.False(peer.IsUp);
        Assert.Null(peer.UpSince);
        Assert.Equal(
            new PeerDownRecord(DateTime.UnixEpoch.AddSeconds(1_700_000_000), PeerDownReason.LocalNotification, 6, 2, "Cease: Administrative Shutdown", UpSince: DateTime.UnixEpoch.AddSeconds(1_700_000_000)),
            peer.LastDown);
        Assert.Equal("local system closed the session with a NOTIFICATION", peer.LastDown!.ReasonText);
    }

    private static Recorder Decode(params byte[][] messages)
    {
        var decoder = new BmpSessionDecoder();
        var recorder = new Recorder();
        foreach (var message in messages)
        {
            Feed(decoder, recorder, message);
        }

        return recorder;
    }

    private static void Feed(BmpSessionDecoder decoder, Recorder recorder, byte[] message)
    {
        Assert.True(BmpCommonHeader.TryRead(message, uint.MaxValue, out var header, out _));
        decoder.Decode(header, message, 0, ref recorder);
    }

    private sealed class Recorder : IBmpSink
    {
        private readonly SummarySink _counts;

        public Recorder() => _counts = new SummarySink(Summary);

        public DecodeSummary Summary { get; } = new();

        public List<string> Routes { get; } = [];

        public List<string> AsPaths { get; } = [];

        public List<string> NextHops { get; } = [];

        public List<string> EndOfRib { get; } = [];

        public List<DecodeError> Errors { get; } = [];

        public void OnMessage(in BmpMessage message) => _counts.OnMessage(message);

        public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
        {
            if (attributes.AsPath.IsPresent)
            {
                AsPaths.Add(attributes.AsPath.ToString());
            }
        }

        public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
        {
            _counts.OnRoute(message, peer, attributes, nlri, info);
            var what = nlri.IsOpaque ? $"raw {Convert.ToHexStringLower(nlri.Raw)}" : nlri.Prefix.ToString();
            Routes.Add($"{nlri.Family.Name} {(info.IsWithdrawal ? "withdraw" : "announce")} {what}{(nlri.HasPathId ? $" path {nlri.PathId}" : "")}");
            if (info.NextHop.HasValue)
            {
                NextHops.Add(info.NextHop.ToString());
            }
        }

        public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family)
        {
            _counts.OnEndOfRib(message, peer, family);
            EndOfRib.Add(family.Name);
        }

        public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds) =>
            _counts.OnAddPathFallback(message, peer, family, decodedWithPathIds);

        public void OnError(in BmpMessage message, in DecodeError error)
        {
            _counts.OnError(message, error);
            Errors.Add(error);
        }

        public void OnMessageEnd(in BmpMessage message)
        {
        }
    }
}
