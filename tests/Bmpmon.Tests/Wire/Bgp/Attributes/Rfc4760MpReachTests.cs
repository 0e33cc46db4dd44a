using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

public sealed class Rfc4760MpReachTests
{
    private const string V6 = "20010DB8000000000000000000000001";
    private const string LinkLocal = "FE800000000000000000000000000001";
    private const string Rd0 = "0000000000000000";

    private static MpReachNlri Parse(string hex)
    {
        Assert.True(MpReachNlri.TryParse(Hex(hex), Base, out var r, out var error), error.ToString());
        return r;
    }

    [Fact]
    public void Ipv6_unicast_with_global_next_hop()
    {
        var r = Parse("0002 01 10 " + V6 + " 00 30 20010DB80001");
        Assert.Equal(AfiSafi.Ipv6Unicast, r.Family);
        Assert.Equal("2001:db8::1", r.NextHop.ToString());
        Assert.False(r.LinkLocalNextHop.HasValue);
        Assert.Equal(Base + 21, r.NlriOffset);
        Assert.Equal(7, r.Nlri.Length);
    }

    [Fact]
    public void Ipv6_global_and_link_local_next_hop()
    {
        var r = Parse("0002 01 20 " + V6 + LinkLocal + " 00");
        Assert.Equal("2001:db8::1", r.NextHop.ToString());
        Assert.Equal("fe80::1", r.LinkLocalNextHop.ToString());
        Assert.True(r.Nlri.IsEmpty);
        Assert.Equal(32, r.NextHopBytes.Length);
    }

    [Fact]
    public void Vpnv4_next_hop_skips_the_route_distinguisher()
    {
        var r = Parse("0001 80 0C " + Rd0 + "C0000201 00");
        Assert.Equal(new AfiSafi(Afi.Ipv4, Safi.MplsVpn), r.Family);
        Assert.Equal(IpAddr.FromV4(0xC0000201), r.NextHop);
    }

    [Fact]
    public void Vpnv6_next_hops()
    {
        Assert.Equal("2001:db8::1", Parse("0002 80 18 " + Rd0 + V6 + " 00").NextHop.ToString());
        var r = Parse("0002 80 30 " + Rd0 + V6 + Rd0 + LinkLocal + " 00");
        Assert.Equal("2001:db8::1", r.NextHop.ToString());
        Assert.Equal("fe80::1", r.LinkLocalNextHop.ToString());
    }

    [Fact]
    public void Rfc8950_ipv4_next_hop_for_ipv6_nlri()
    {
        Assert.Equal(IpAddr.FromV4(0xC0000201), Parse("0002 01 04 C0000201 00").NextHop);
        Assert.Equal(IpAddr.FromV4(0xC0000201), Parse("0002 80 0C " + Rd0 + "C0000201 00").NextHop);
    }

    [Fact]
    public void Ipv6_next_hop_for_ipv4_nlri()
    {
        Assert.Equal("2001:db8::1", Parse("0001 01 10 " + V6 + " 00 18 C00002").NextHop.ToString());
    }

    [Fact]
    public void Evpn_next_hops()
    {
        var r = Parse("0019 46 04 C0000201 00");
        Assert.Equal(AfiSafi.L2vpnEvpn, r.Family);
        Assert.Equal(IpAddr.FromV4(0xC0000201), r.NextHop);
        Assert.Equal("2001:db8::1", Parse("0019 46 10 " + V6 + " 00").NextHop.ToString());
    }

    [Theory]
    [InlineData("0001 85 00 00 0501020304")]
    [InlineData("0001 01 05 C000020101 00")]
    public void Other_next_hop_lengths_stay_raw(string hex)
    {
        var r = Parse(hex);
        Assert.False(r.NextHop.HasValue);
        Assert.Equal(Hex(hex)[3], r.NextHopBytes.Length);
    }

    [Fact]
    public void Snpas_are_skipped()
    {
        // Two SNPAs: 3 semi-octets (2 octets) and 4 semi-octets (2 octets).
        var r = Parse("0001 01 04 C0000201 02 03 ABCD 04 1234 18 C00002");
        Assert.Equal(Base + 15, r.NlriOffset);
        Assert.Equal(Hex("18 C00002"), r.Nlri.ToArray());
    }

    [Theory]
    [InlineData("0002", 0)]
    [InlineData("0002 01", 3)]
    [InlineData("0002 01 10 20010DB8", 3)]
    [InlineData("0001 01 04 C0000201", 8)]
    [InlineData("0001 01 04 C0000201 01 08 AB", 9)]
    public void Truncated_mp_reach_fails(string hex, int offset)
    {
        Assert.False(MpReachNlri.TryParse(Hex(hex), Base, out _, out var error));
        Assert.True(error.IsError);
        Assert.Equal(Base + offset, error.Offset);
    }

    [Fact]
    public void Broken_mp_reach_fails_the_attribute_block()
    {
        var block = Block(Origin, Hex("80 0E 03 0002 01"));
        Assert.False(PathAttributes.TryParse(block, Base, true, out _, out var error));
        Assert.Equal(DecodeErrorCode.Truncated, error.Code);
        Assert.Equal(Base + 10, error.Offset);
    }

    [Fact]
    public void Mp_reach_in_a_block_keeps_absolute_offsets()
    {
        var block = Block(Origin, Hex("90 0E 000A 0001 01 04 C0000201 00 00"));
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out _));
        Assert.True(pa.HasMpReach);
        Assert.Equal(Base + 4 + 4 + 9, pa.MpReach.NlriOffset);
        Assert.Equal(1, pa.MpReach.Nlri.Length);
    }

    [Fact]
    public void Mp_unreach_decodes_family_and_nlri()
    {
        Assert.True(MpUnreachNlri.TryParse(Hex("0002 01 30 20010DB80001"), Base, out var u, out _));
        Assert.Equal(AfiSafi.Ipv6Unicast, u.Family);
        Assert.Equal(Base + 3, u.NlriOffset);
        Assert.Equal(7, u.Nlri.Length);
        Assert.False(MpUnreachNlri.TryParse(Hex("0002"), Base, out _, out var error));
        Assert.Equal(DecodeErrorCode.Truncated, error.Code);
    }

    [Fact]
    public void Repeated_mp_attributes_fail()
    {
        var reach = Hex("80 0E 09 0001 01 04 C0000201 00");
        Assert.False(PathAttributes.TryParse(Block(reach, reach), Base, true, out _, out var error));
        Assert.Equal(DecodeErrorCode.BadValue, error.Code);
        Assert.Equal(Base + reach.Length, error.Offset);

        var unreach = Hex("80 0F 03 0002 01");
        Assert.False(PathAttributes.TryParse(Block(unreach, unreach), Base, true, out _, out error));
        Assert.Equal(Base + unreach.Length, error.Offset);
    }
}
