using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Nlri.NlriTestSupport;
using static Bmpmon.Tests.Wire.Bgp.Nlri.Rfc7432EvpnTests;

namespace Bmpmon.Tests.Wire.Bgp.Nlri;

/// <summary>RFC 7911 section 3: a 4-byte path identifier before every NLRI, and detecting exporters that omit it.</summary>
public sealed class Rfc7911AddPathNlriTests
{
    // 192.0.2.0/24 path 1, 198.51.100.0/24 path 2; the same routes and 10.0.0.0/8 without path ids.
    private const string WithPathIds = "00000001 18 c00002  00000002 18 c63364";
    private const string WithoutPathIds = "18 c00002  18 c63364  08 0a";

    [Fact]
    public void Path_ids_precede_unicast_prefixes()
    {
        var (routes, error) = ReadAll(WithPathIds, AfiSafi.Ipv4Unicast, addPath: true, baseOffset: 40);

        Assert.False(error.IsError);
        Assert.Equal(2, routes.Count);
        Assert.True(routes[0].HasPathId);
        Assert.Equal(1u, routes[0].PathId);
        Assert.Equal(2u, routes[1].PathId);
        Assert.Equal(new IpPrefix(V4("198.51.100.0"), 24), routes[1].Prefix);
        Assert.Equal("0000000118c00002", routes[0].RawHex);
        Assert.Equal([40, 48], routes.Select(r => r.Offset));
        Assert.Equal("192.0.2.0/24 path_id=1", routes[0].Text);
    }

    [Fact]
    public void Path_ids_precede_labeled_vpn_and_evpn_nlri()
    {
        var labeled = Single("0000000a 30 000101 c00002", Ipv4Labeled, addPath: true);
        Assert.Equal(10u, labeled.PathId);
        Assert.Equal(16u, labeled.Labels[0]);

        var vpn = Single("0000000b 70 e00301 0000fbf300000069 c0002a", Ipv4Vpn, addPath: true);
        Assert.Equal(11u, vpn.PathId);
        Assert.Equal("64499:105", vpn.Rd.ToString());

        var evpn = Single($"0000000c 04 17 {Rd} {Esi} 20 c0000201", AfiSafi.L2vpnEvpn, addPath: true);
        Assert.Equal(12u, evpn.PathId);
        Assert.Equal(EvpnRouteType.EthernetSegment, evpn.Evpn.RouteType);
        Assert.StartsWith("0000000c0417", evpn.RawHex, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_path_id_is_truncated_at_its_first_byte()
    {
        Assert.Equal(
            new DecodeError(DecodeErrorCode.Truncated, 8, "NLRI path identifier"),
            ErrorOf("00000001 18 c00002 0000", AfiSafi.Ipv4Unicast, addPath: true));
    }

    [Fact]
    public void Fits_and_count_tell_the_two_encodings_apart()
    {
        var with = Hex(WithPathIds);
        var without = Hex(WithoutPathIds);

        Assert.True(NlriEncoding.Fits(with, AfiSafi.Ipv4Unicast, addPath: true));
        Assert.Equal(2, NlriEncoding.Count(with, AfiSafi.Ipv4Unicast, addPath: true));

        // Read without path ids: three /0 routes, a /1 (byte 0x18), then length 0xc0 = 192: bad value.
        Assert.False(NlriEncoding.Fits(with, AfiSafi.Ipv4Unicast, addPath: false));
        Assert.Equal(-1, NlriEncoding.Count(with, AfiSafi.Ipv4Unicast, addPath: false));

        Assert.True(NlriEncoding.Fits(without, AfiSafi.Ipv4Unicast, addPath: false));
        Assert.Equal(3, NlriEncoding.Count(without, AfiSafi.Ipv4Unicast, addPath: false));

        // Path id 0x18c00002, 198.51.100.0/24, then a path id with only 2 bytes left: does not fit.
        Assert.False(NlriEncoding.Fits(without, AfiSafi.Ipv4Unicast, addPath: true));
    }

    [Fact]
    public void Exporter_that_negotiated_add_path_but_sends_none_falls_back()
    {
        // FRR 8.4 / GoBGP 3.10: Add-Path in the OPENs, NLRI without path ids.
        Assert.False(NlriEncoding.ChooseAddPath(Hex(WithoutPathIds), AfiSafi.Ipv4Unicast, negotiatedAddPath: true, isWithdrawal: false));
        Assert.True(NlriEncoding.ChooseAddPath(Hex(WithPathIds), AfiSafi.Ipv4Unicast, negotiatedAddPath: true, isWithdrawal: false));
        Assert.True(NlriEncoding.ChooseAddPath(Hex(WithPathIds), AfiSafi.Ipv4Unicast, negotiatedAddPath: false, isWithdrawal: false));

        // Neither fits (/255 without; a 2-byte path id with): keep the negotiated way so the reader reports the error as negotiated.
        Assert.True(NlriEncoding.ChooseAddPath(Hex("ff ff"), AfiSafi.Ipv4Unicast, negotiatedAddPath: true, isWithdrawal: false));
    }

    // Fields whose bytes parse completely both with and without path ids (RFC 7911 s3 leaves the
    // lengths ambiguous); the repetition rule of NlriEncoding.ChooseAddPath settles them.
    private const string V4PathIdZero = "00000000 20 c000020f";
    private const string V6PathIdZero = "00000000 80 20010db8000000000000000000000015";
    private const string V4PathIdRepeated = "20880250 08 0c  20880250 08 0c";
    private const string V6PathIdRepeated = "66daeb2b 10 6de9  66daeb2b 10 6de9";
    private const string V4NoRepeat = "08 0a 10 0b 00";
    private const string V6NoRepeat = "08 20 10 20 00";

    [Theory]
    [InlineData(V4PathIdZero, false)]
    [InlineData(V4PathIdZero, true)]
    [InlineData(V6PathIdZero, false)]
    [InlineData(V6PathIdZero, true)]
    public void Ambiguous_field_whose_plain_reading_repeats_a_route_is_read_with_path_ids(string hex, bool isWithdrawal)
    {
        // The capture 208 case (Cisco Loc-RIB peer, no Peer Up): path id 0 then 192.0.2.15/32 (or
        // 2001:db8::15/128). Read without path ids: 0/0 four times, then the host route.
        var family = hex == V4PathIdZero ? AfiSafi.Ipv4Unicast : AfiSafi.Ipv6Unicast;
        var data = Hex(hex);
        Assert.Equal(1, NlriEncoding.Count(data, family, addPath: true, isWithdrawal));
        Assert.Equal(5, NlriEncoding.Count(data, family, addPath: false, isWithdrawal));

        Assert.True(NlriEncoding.ChooseAddPath(data, family, negotiatedAddPath: false, isWithdrawal));
        Assert.True(NlriEncoding.ChooseAddPath(data, family, negotiatedAddPath: true, isWithdrawal));
    }

    [Theory]
    [InlineData(V4PathIdRepeated, false)]
    [InlineData(V4PathIdRepeated, true)]
    [InlineData(V6PathIdRepeated, false)]
    [InlineData(V6PathIdRepeated, true)]
    public void Ambiguous_field_whose_path_id_reading_repeats_a_route_is_read_without(string hex, bool isWithdrawal)
    {
        // With path ids: the same (path id, prefix) twice. Without (IPv4): 136.2.80.8/32, a /12, a /2
        // and 12.0.0.0/8; (IPv6) one /102 over all 13 bytes. No plain route repeats.
        var family = hex == V4PathIdRepeated ? AfiSafi.Ipv4Unicast : AfiSafi.Ipv6Unicast;
        var data = Hex(hex);
        Assert.Equal(2, NlriEncoding.Count(data, family, addPath: true, isWithdrawal));
        Assert.True(NlriEncoding.Count(data, family, addPath: false, isWithdrawal) >= 1);

        Assert.False(NlriEncoding.ChooseAddPath(data, family, negotiatedAddPath: true, isWithdrawal));
        Assert.False(NlriEncoding.ChooseAddPath(data, family, negotiatedAddPath: false, isWithdrawal));
    }

    [Theory]
    [InlineData(V4NoRepeat, false)]
    [InlineData(V4NoRepeat, true)]
    [InlineData(V6NoRepeat, false)]
    [InlineData(V6NoRepeat, true)]
    public void Ambiguous_field_without_repeats_is_read_as_negotiated(string hex, bool isWithdrawal)
    {
        // With path ids: id 0x080a100b (0x08201020), then 0/0. Without: 10.0.0.0/8 and 11.0.0.0/16
        // (2000::/8 and 2000::/16). Both fit, neither repeats: nothing tells them apart but the OPENs.
        var family = hex == V4NoRepeat ? AfiSafi.Ipv4Unicast : AfiSafi.Ipv6Unicast;
        var data = Hex(hex);
        Assert.Equal(1, NlriEncoding.Count(data, family, addPath: true, isWithdrawal));
        Assert.Equal(2, NlriEncoding.Count(data, family, addPath: false, isWithdrawal));

        Assert.True(NlriEncoding.ChooseAddPath(data, family, negotiatedAddPath: true, isWithdrawal));
        Assert.False(NlriEncoding.ChooseAddPath(data, family, negotiatedAddPath: false, isWithdrawal));
    }

    [Fact]
    public void Same_prefix_under_two_path_ids_is_not_a_repeat()
    {
        // Add-Path's purpose: 0.0.0.0/0 as path 1 and as path 2 (different NLRI). Read without path
        // ids the field fits too (0/0 three times, a /1, 0/0 three times, a /2), and repeats.
        var data = Hex("00000001 00  00000002 00");
        Assert.Equal(8, NlriEncoding.Count(data, AfiSafi.Ipv4Unicast, addPath: false));
        Assert.False(RepeatedNlri.Any(data, AfiSafi.Ipv4Unicast, addPath: true, isWithdrawal: false, count: 2));
        Assert.True(NlriEncoding.ChooseAddPath(data, AfiSafi.Ipv4Unicast, negotiatedAddPath: true, isWithdrawal: false));
        Assert.True(NlriEncoding.ChooseAddPath(data, AfiSafi.Ipv4Unicast, negotiatedAddPath: false, isWithdrawal: false));
    }

    [Fact]
    public void Repeat_search_handles_fields_larger_than_its_stack_table()
    {
        // 300 distinct /24s (over the 128 the stack table holds), then the first one again.
        var prefixes = Enumerable.Range(0, 300).Select(i => $"18 0a{i >> 8:x2}{i & 0xff:x2}").Append("18 0a0000");
        var data = Hex(string.Join(" ", prefixes));
        var count = NlriEncoding.Count(data, AfiSafi.Ipv4Unicast, addPath: false);
        Assert.Equal(301, count);
        Assert.True(RepeatedNlri.Any(data, AfiSafi.Ipv4Unicast, addPath: false, isWithdrawal: false, count));
        Assert.False(RepeatedNlri.Any(data[..^4], AfiSafi.Ipv4Unicast, addPath: false, isWithdrawal: false, count - 1));
    }

    [Fact]
    public void Evpn_without_path_ids_is_detected()
    {
        var data = Hex($"04 17 {Rd} {Esi} 20 c0000201");
        Assert.Equal(1, NlriEncoding.Count(data, AfiSafi.L2vpnEvpn, addPath: false));
        Assert.False(NlriEncoding.Fits(data, AfiSafi.L2vpnEvpn, addPath: true));
        Assert.False(NlriEncoding.ChooseAddPath(data, AfiSafi.L2vpnEvpn, negotiatedAddPath: true, isWithdrawal: false));
    }

    [Fact]
    public void Labeled_withdrawal_without_path_ids_is_detected_with_the_withdrawal_rule()
    {
        var data = Hex("30 800000 c00002");
        Assert.Equal(1, NlriEncoding.Count(data, Ipv4Labeled, addPath: false, isWithdrawal: true));
        Assert.False(NlriEncoding.ChooseAddPath(data, Ipv4Labeled, negotiatedAddPath: true, isWithdrawal: true));
    }

    [Fact]
    public void Opaque_families_fit_both_ways()
    {
        var flowspec = new AfiSafi(Afi.Ipv4, Safi.FlowSpec);
        Assert.True(NlriEncoding.Fits(Hex("0701"), flowspec, addPath: true));
        Assert.True(NlriEncoding.ChooseAddPath(Hex("0701"), flowspec, negotiatedAddPath: true, isWithdrawal: false));
    }
}
