using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Nlri.NlriTestSupport;

namespace Bmpmon.Tests.Wire.Bgp.Nlri;

/// <summary>RFC 7432 section 7: EVPN NLRI, route types 1-4, and unknown route types.</summary>
public sealed class Rfc7432EvpnTests
{
    internal const string Rd = "0000fbf300000069";             // 64499:105
    internal const string Esi = "01 112233445566778899";        // type 1 (LACP)
    internal const string EthTag = "00000064";                  // 100

    [Fact]
    public void Type_1_ethernet_auto_discovery_as_in_the_oracle()
    {
        // netgauze evpn capture frame 16: rt=1, rd=00:01:c6:33:64:9a:02:01, zero ESI, etag=513, mpls_ls1=917504.
        var route = Single("01 19 0001c633649a0201 00000000000000000000 00000201 e00000", AfiSafi.L2vpnEvpn);

        Assert.True(route.IsEvpn);
        Assert.True(route.HasRd);
        var e = route.Evpn;
        Assert.Equal(EvpnRouteType.EthernetAutoDiscovery, e.RouteType);
        Assert.Equal("00:01:c6:33:64:9a:02:01", e.Rd.ToHexString());
        Assert.Equal(e.Rd, route.Rd);
        Assert.True(e.Esi.IsZero);
        Assert.Equal(0, e.Esi.Type);
        Assert.Equal(513u, e.EthernetTag);
        Assert.Equal(917504u, e.Labels[0]);
        Assert.Equal(e.Labels, route.Labels);
        Assert.Equal(default, route.Prefix);
        Assert.StartsWith("evpn:rt=1,rd=00:01:c6:33:64:9a:02:01,esi=00:00:00:00:00:00:00:00:00:00,etag=513", route.Text);
    }

    [Fact]
    public void Type_2_mac_only()
    {
        var route = Single($"02 21 {Rd} {Esi} {EthTag} 30 00005e005301 00 0003e1", AfiSafi.L2vpnEvpn);
        var e = route.Evpn;

        Assert.Equal(EvpnRouteType.MacIpAdvertisement, e.RouteType);
        Assert.Equal("64499:105", e.Rd.ToString());
        Assert.Equal("01:11:22:33:44:55:66:77:88:99", e.Esi.ToString());
        Assert.Equal(1, e.Esi.Type);
        Assert.False(e.Esi.IsZero);
        Assert.Equal(100u, e.EthernetTag);
        Assert.Equal(48, e.MacLength);
        Assert.Equal("00:00:5e:00:53:01", e.Mac.ToString());
        Assert.Equal(0x00005e005301UL, e.Mac.Value);
        Assert.Equal(0, e.IpLength);
        Assert.False(e.Ip.HasValue);
        Assert.Equal(1, e.Labels.Count);
        Assert.Equal(62u, e.Labels[0]);
    }

    [Fact]
    public void Type_2_with_ipv4_and_two_labels()
    {
        var route = Single($"02 28 {Rd} {Esi} {EthTag} 30 00005e005301 20 c000020a 003e81 007d01", AfiSafi.L2vpnEvpn);
        var e = route.Evpn;

        Assert.Equal(32, e.IpLength);
        Assert.Equal(V4("192.0.2.10"), e.Ip);
        Assert.Equal(2, e.Labels.Count);
        Assert.Equal(1000u, e.Labels[0]);
        Assert.Equal(2000u, e.Labels[1]);
        Assert.Contains("mac=00:00:5e:00:53:01,ip=192.0.2.10,mpls_ls1=1000,mpls_ls2=2000", route.Text);
    }

    [Fact]
    public void Type_2_with_ipv6_and_one_label()
    {
        var route = Single($"02 31 {Rd} {Esi} {EthTag} 30 00005e005301 80 20010db8000000000000000000000010 0003e1", AfiSafi.L2vpnEvpn);
        Assert.Equal(128, route.Evpn.IpLength);
        Assert.Equal(V6("2001:db8::10"), route.Evpn.Ip);
        Assert.Equal(1, route.Evpn.Labels.Count);
    }

    [Fact]
    public void Type_2_ip_length_other_than_0_32_128_is_bad_value_at_that_byte()
    {
        // IP length 24 sits at: type(1) + len(1) + RD(8) + ESI(10) + tag(4) + maclen(1) + mac(6) = 31.
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadValue, 31, "EVPN MAC/IP Advertisement route"),
            ErrorOf($"02 27 {Rd} {Esi} {EthTag} 30 00005e005301 18 c00002 003e81 007d01", AfiSafi.L2vpnEvpn));
    }

    [Fact]
    public void Type_2_with_a_length_leaving_no_whole_label_is_bad_length_at_the_route_length()
    {
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadLength, 1, "EVPN MAC/IP Advertisement route"),
            ErrorOf($"02 23 {Rd} {Esi} {EthTag} 30 00005e005301 00 0003e1 0000", AfiSafi.L2vpnEvpn));
    }

    [Fact]
    public void Type_3_inclusive_multicast_with_ipv4_and_ipv6_originators()
    {
        var (routes, error) = ReadAll(
            $"03 11 {Rd} {EthTag} 20 c0000201  03 1d {Rd} 00000000 80 20010db8000000000000000000000001",
            AfiSafi.L2vpnEvpn);

        Assert.False(error.IsError);
        Assert.Equal(2, routes.Count);
        Assert.Equal(EvpnRouteType.InclusiveMulticastEthernetTag, routes[0].Evpn.RouteType);
        Assert.Equal(100u, routes[0].Evpn.EthernetTag);
        Assert.Equal(32, routes[0].Evpn.IpLength);
        Assert.Equal(V4("192.0.2.1"), routes[0].Evpn.OriginatorIp);
        Assert.True(routes[0].Evpn.Labels.IsEmpty);
        Assert.Equal(V6("2001:db8::1"), routes[1].Evpn.OriginatorIp);
        Assert.Equal(19, routes[1].Offset);
    }

    [Fact]
    public void Type_3_originator_length_must_match_the_route_length()
    {
        // IP length says 128 but the route holds 4 address bytes.
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadLength, 1, "EVPN Inclusive Multicast Ethernet Tag route"),
            ErrorOf($"03 11 {Rd} {EthTag} 80 c0000201", AfiSafi.L2vpnEvpn));
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadValue, 14, "EVPN Inclusive Multicast Ethernet Tag route"),
            ErrorOf($"03 11 {Rd} {EthTag} 18 c0000201", AfiSafi.L2vpnEvpn));
    }

    [Fact]
    public void Type_4_ethernet_segment()
    {
        var route = Single($"04 17 {Rd} {Esi} 20 c0000201", AfiSafi.L2vpnEvpn);
        var e = route.Evpn;
        Assert.Equal(EvpnRouteType.EthernetSegment, e.RouteType);
        Assert.Equal("01:11:22:33:44:55:66:77:88:99", e.Esi.ToString());
        Assert.Equal(V4("192.0.2.1"), e.OriginatorIp);
        Assert.Equal(0u, e.EthernetTag);

        var v6 = Single($"04 23 {Rd} {Esi} 80 20010db8000000000000000000000001", AfiSafi.L2vpnEvpn);
        Assert.Equal(V6("2001:db8::1"), v6.Evpn.OriginatorIp);
    }

    [Fact]
    public void Type_1_with_wrong_length_is_bad_length()
    {
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadLength, 1, "EVPN Ethernet A-D route"),
            ErrorOf($"01 18 {Rd} {Esi} {EthTag} e000", AfiSafi.L2vpnEvpn));
    }

    [Fact]
    public void Unknown_route_type_is_skipped_by_length_and_kept_raw()
    {
        var (routes, error) = ReadAll($"0b 03 aabbcc  01 19 {Rd} {Esi} {EthTag} e00001", AfiSafi.L2vpnEvpn);

        Assert.False(error.IsError);
        Assert.Equal(2, routes.Count);
        Assert.True(routes[0].IsEvpn);
        Assert.Equal((EvpnRouteType)11, routes[0].Evpn.RouteType);
        Assert.False(routes[0].Evpn.IsKnownType);
        Assert.False(routes[0].HasRd);
        Assert.Equal("0b03aabbcc", routes[0].RawHex);
        Assert.Equal(EvpnRouteType.EthernetAutoDiscovery, routes[1].Evpn.RouteType);
        Assert.Equal(5, routes[1].Offset);
    }

    [Fact]
    public void Truncated_route_header_and_value()
    {
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 0, "EVPN NLRI"), ErrorOf("01", AfiSafi.L2vpnEvpn));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 2, "EVPN NLRI"), ErrorOf($"01 19 {Rd}", AfiSafi.L2vpnEvpn));
    }

    [Fact]
    public void Esi_and_mac_format_without_allocating_into_spans()
    {
        var esi = Single($"04 17 {Rd} {Esi} 20 c0000201", AfiSafi.L2vpnEvpn).Evpn.Esi;
        Span<char> buffer = stackalloc char[EthernetSegmentIdentifier.FormattedLength];
        Assert.True(esi.TryFormat(buffer, out var n));
        Assert.Equal("01:11:22:33:44:55:66:77:88:99", buffer[..n].ToString());
        Assert.False(esi.TryFormat(buffer[..5], out _));

        var mac = new MacAddress(0xaabbccddeeffUL);
        Span<char> m = stackalloc char[MacAddress.FormattedLength];
        Assert.True(mac.TryFormat(m, out n));
        Assert.Equal("aa:bb:cc:dd:ee:ff", m[..n].ToString());
    }

    [FixtureFact]
    public void Fixture_evpn_type_1_routes_found_in_the_raw_streams_decode_as_the_oracle_says()
    {
        var dir = Fixtures.RequireRoot();

        // The two l2vpn-evpn rows of evpn__evpn.pcap.expected.nlri.csv (frames 16 and 31).
        (string File, string Rd)[] expected =
        [
            ("evpn__evpn.pcap.stream0.bmp", "00:01:c6:33:64:9a:02:01"),
            ("evpn__evpn.pcap.stream1.bmp", "00:01:c6:33:64:2c:02:01"),
        ];
        foreach (var (file, rd) in expected)
        {
            var stream = File.ReadAllBytes(Path.Combine(dir, "netgauze", "streams", file));
            var pattern = Hex("0119" + rd.Replace(":", string.Empty, StringComparison.Ordinal));
            var at = stream.AsSpan().IndexOf(pattern);
            Assert.True(at > 0, $"EVPN route with rd {rd} not found in {file}");

            var reader = new NlriReader(stream.AsSpan(at, 2 + 25), at, AfiSafi.L2vpnEvpn, addPath: false, isWithdrawal: false);
            Assert.True(reader.TryRead(out var nlri, out var error), error.ToString());
            Assert.Equal(at, nlri.Offset);
            Assert.Equal(rd, nlri.Evpn.Rd.ToHexString());
            Assert.Equal(0, nlri.Evpn.Esi.Type);
            Assert.True(nlri.Evpn.Esi.IsZero);
            Assert.Equal(513u, nlri.Evpn.EthernetTag);
            Assert.Equal(917504u, nlri.Evpn.Labels[0]);
        }
    }
}
