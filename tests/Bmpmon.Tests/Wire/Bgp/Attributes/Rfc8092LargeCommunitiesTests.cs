using Bmpmon.Core.Wire.Bgp.Attributes;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

public sealed class Rfc8092LargeCommunitiesTests
{
    [Fact]
    public void Large_communities_decode_and_format()
    {
        var hex = "C0 20 18 0000FDE8 00000001 00000002 FA56EA00 FFFFFFFF 00000000";
        Assert.True(PathAttributes.TryParse(Hex(hex), Base, true, out var pa, out _));
        var list = pa.LargeCommunityList;
        Assert.Equal(2, list.Count);
        Assert.Equal(new LargeCommunity(65000, 1, 2), list[0]);
        Assert.Equal("65000:1:2", list[0].ToString());
        Assert.Equal("4200000000:4294967295:0", list[1].ToString());
    }

    [Theory]
    [InlineData("C0 20 0B 0000FDE8 00000001 000000")]
    [InlineData("C0 20 00")]
    public void Length_not_a_non_zero_multiple_of_12_is_treat_as_withdraw(string hex)
    {
        Assert.True(PathAttributes.TryParse(Hex(hex), Base, true, out var pa, out _));
        Assert.True(pa.LargeCommunities.IsEmpty);
        Assert.True(pa.TreatAsWithdraw);
        Assert.Equal(1, pa.MalformedCount);
    }
}
