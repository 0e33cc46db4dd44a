using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Nlri.NlriTestSupport;

namespace Bmpmon.Tests.Wire.Bgp.Nlri;

/// <summary>RFC 4364 sections 4.2 (Route Distinguisher) and 4.3.4 (labeled VPN-IPv4 NLRI, SAFI 128).</summary>
public sealed class Rfc4364VpnTests
{
    [Theory]
    [InlineData("0000fbf300000069", 0, "64499:105")]
    [InlineData("0001c000020100 05", 1, "192.0.2.1:5")]
    [InlineData("0002fa56ea000007", 2, "4200000000:7")]
    [InlineData("0000ffffffffffff", 0, "65535:4294967295")]
    [InlineData("0001ffffffffffff", 1, "255.255.255.255:65535")]
    [InlineData("0003010203040506", 3, "3:010203040506")]
    public void Route_distinguisher_types_format_as_admin_colon_assigned(string hex, int type, string text)
    {
        var rd = RouteDistinguisher.Read(Hex(hex));
        Assert.Equal(type, rd.Type);
        Assert.Equal(text, rd.ToString());

        Span<char> buffer = stackalloc char[RouteDistinguisher.MaxFormattedLength];
        Assert.True(rd.TryFormat(buffer, out var n));
        Assert.Equal(text, buffer[..n].ToString());
        Assert.False(rd.TryFormat(buffer[..(n - 1)], out _));

        Span<byte> back = stackalloc byte[8];
        rd.WriteBytes(back);
        Assert.Equal(Hex(hex), back.ToArray());
    }

    [Fact]
    public void Route_distinguisher_subfields_and_hex_form()
    {
        var rd = RouteDistinguisher.Read(Hex("0001c633649a0201"));
        Assert.Equal(0xc633649au, rd.Administrator);
        Assert.Equal(0x0201u, rd.AssignedNumber);
        Assert.Equal("198.51.100.154:513", rd.ToString());
        Assert.Equal("00:01:c6:33:64:9a:02:01", rd.ToHexString());
    }

    [Fact]
    public void Vpn_ipv4_announcement_as_in_the_oracle()
    {
        // From netgauze evpn capture: RD=64499:105:192.0.42.0/24 label=917552 (bottom).
        var route = Single("70 e00301 0000fbf300000069 c0002a", Ipv4Vpn);

        Assert.True(route.HasRd);
        Assert.Equal("64499:105", route.Rd.ToString());
        Assert.Equal(new IpPrefix(V4("192.0.42.0"), 24), route.Prefix);
        Assert.Equal(917552u, route.Labels[0]);
        Assert.True(route.Labels.IsBottomOfStack(0));
        Assert.Equal("RD=64499:105:192.0.42.0/24 label=917552", route.Text);
    }

    [Fact]
    public void Vpn_ipv6_withdrawal_with_compatibility_label()
    {
        // From the same capture: RD=64499:105:2001:db8:42::/64 label=0 (withdrawn), sent as 0x800000.
        var route = Single("98 800000 0000fbf300000069 20010db800420000", Ipv6Vpn, isWithdrawal: true);

        Assert.Equal("64499:105", route.Rd.ToString());
        Assert.Equal(new IpPrefix(V6("2001:db8:42::"), 64), route.Prefix);
        Assert.Equal(1, route.Labels.Count);
    }

    [Fact]
    public void Vpn_with_two_labels_and_a_host_route()
    {
        var route = Single("90 000100 0003e1 0002fa56ea000007 cb00710f", Ipv4Vpn);
        Assert.Equal("16 62", route.Labels.ToString());
        Assert.Equal("4200000000:7", route.Rd.ToString());
        Assert.Equal(new IpPrefix(V4("203.0.113.15"), 32), route.Prefix);
    }

    [Fact]
    public void Vpn_default_route_has_no_prefix_bytes()
    {
        // 24 + 64 = 88 bits: the RD ends the NLRI.
        var route = Single("58 000011 0000fbf300000069", Ipv4Vpn);
        Assert.Equal(new IpPrefix(V4("0.0.0.0"), 0), route.Prefix);
    }

    [Fact]
    public void Length_too_short_for_the_rd_is_bad_length_at_the_length_byte()
    {
        // 24 label bits + 32 bits: no room for the 64-bit RD.
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadLength, 20, "VPN NLRI"),
            ErrorOf("38 000011 0000fbf3", Ipv4Vpn, baseOffset: 20));
    }

    [Fact]
    public void Prefix_longer_than_32_after_label_and_rd_is_bad_value()
    {
        // 24 + 64 + 40 = 128 bits.
        Assert.Equal(
            DecodeErrorCode.BadValue,
            ErrorOf("80 000011 0000fbf300000069 c000020100", Ipv4Vpn).Code);
    }

    [Fact]
    public void Multicast_vpn_safi_129_uses_the_vpn_encoding()
    {
        var route = Single("70 e00301 0000fbf300000069 c0002a", new AfiSafi(Afi.Ipv4, Safi.MulticastMplsVpn));
        Assert.True(route.HasRd);
        Assert.Equal(new IpPrefix(V4("192.0.42.0"), 24), route.Prefix);
    }

    [FixtureFact]
    public void Fixture_vpn_nlri_found_in_the_raw_stream_decode_as_the_oracle_says()
    {
        var dir = Fixtures.RequireRoot();

        var stream = File.ReadAllBytes(Path.Combine(dir, "netgauze", "streams", "evpn__evpn.pcap.stream0.bmp"));
        Assert.NotEmpty(FixtureStreams.Messages(stream));

        // MP_REACH_NLRI for ipv4-vpn (frame 9 in the oracle) and MP_UNREACH_NLRI for ipv6-vpn (frame 6).
        var announce = Hex("70 e00301 0000fbf300000069 c0002a");
        var at = stream.AsSpan().IndexOf(announce);
        Assert.True(at > 0, "VPN announcement bytes not found");
        var route = Assert.Single(ReadAll(stream.AsSpan(at, announce.Length), Ipv4Vpn, baseOffset: at).Routes);
        Assert.Equal("RD=64499:105:192.0.42.0/24 label=917552", route.Text);

        // The withdrawal sits right after "attr 0x0f, length 0x17, AFI 2, SAFI 128".
        var unreach = Hex("900f 0017 0002 80");
        var u = stream.AsSpan().IndexOf(unreach);
        Assert.True(u > 0, "MP_UNREACH_NLRI not found");
        var nlri = stream.AsSpan(u + unreach.Length, 0x17 - 3);
        var withdrawn = Assert.Single(ReadAll(nlri, Ipv6Vpn, isWithdrawal: true).Routes);
        Assert.Equal("64499:105", withdrawn.Rd.ToString());
        Assert.Equal("2001:db8:42::/64", withdrawn.Prefix.ToString());
    }
}
