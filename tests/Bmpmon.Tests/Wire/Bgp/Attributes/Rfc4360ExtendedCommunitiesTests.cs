using Bmpmon.Core.Wire.Bgp.Attributes;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

public sealed class Rfc4360ExtendedCommunitiesTests
{
    [Fact]
    public void Route_targets_from_the_realistic_block()
    {
        Assert.True(PathAttributes.TryParse(ExtendedCommunities, Base, true, out var pa, out _));
        var list = pa.ExtendedCommunityList;
        Assert.Equal(2, list.Count);
        Assert.True(list[0].IsRouteTarget);
        Assert.True(list[0].IsTransitive);
        Assert.Equal("rt:65000:100", list[0].ToString());
        Assert.Equal("rt:192.0.2.1:7", list[1].ToString());
    }

    [Theory]
    [InlineData(0x0002FDE800000064UL, "rt:65000:100")]
    [InlineData(0x0003FDE800000064UL, "soo:65000:100")]
    [InlineData(0x0102C00002010007UL, "rt:192.0.2.1:7")]
    [InlineData(0x0103C00002010007UL, "soo:192.0.2.1:7")]
    [InlineData(0x0202FA56EA000064UL, "rt:4200000000:100")]
    [InlineData(0x0203FA56EA000064UL, "soo:4200000000:100")]
    [InlineData(0x030B000000000064UL, "color:100")]
    [InlineData(0x030C000000000008UL, "encap:8")]
    [InlineData(0x8006000000000000UL, "0x8006000000000000")]
    [InlineData(0x0600000000000001UL, "0x0600000000000001")]
    public void Formats(ulong value, string text)
    {
        var c = new ExtendedCommunity(value);
        Assert.Equal(text, c.ToString());
        Assert.Equal((byte)(value >> 56), c.Type);
        Assert.Equal((byte)(value >> 48), c.SubType);
    }

    [Fact]
    public void Non_transitive_bit()
    {
        var c = new ExtendedCommunity(0x4002FDE800000064UL);
        Assert.False(c.IsTransitive);
        Assert.True(c.IsRouteTarget);
    }

    [Theory]
    [InlineData("C0 10 07 0002FDE8000000")]
    [InlineData("C0 10 00")]
    public void Bad_length_is_treat_as_withdraw(string hex)
    {
        Assert.True(PathAttributes.TryParse(Hex(hex), Base, true, out var pa, out _));
        Assert.True(pa.ExtendedCommunities.IsEmpty);
        Assert.Equal(1, pa.MalformedCount);
        Assert.True(pa.TreatAsWithdraw);
    }

    [Fact]
    public void Rfc5701_ipv6_extended_communities()
    {
        var hex = "C0 19 14 0002 20010DB8000000000000000000000001 0064";
        Assert.True(PathAttributes.TryParse(Hex(hex), Base, true, out var pa, out _));
        var list = pa.Ipv6ExtendedCommunityList;
        Assert.Equal(1, list.Count);
        Assert.Equal("2001:db8::1", list[0].GlobalAdministrator.ToString());
        Assert.Equal(100, list[0].LocalAdministrator);
        Assert.Equal("rt:[2001:db8::1]:100", list[0].ToString());

        Assert.True(PathAttributes.TryParse(Hex("C0 19 13 0002 20010DB8000000000000000000000001 00"), Base, true, out pa, out _));
        Assert.True(pa.TreatAsWithdraw);
    }
}
