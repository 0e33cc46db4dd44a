using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Iana;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

public sealed class Rfc4724EndOfRibTests
{
    private static bool Check(string bodyHex, out AfiSafi family)
    {
        var body = Hex(bodyHex);
        Assert.True(BgpUpdate.TryParse(body, Base, out var update, out _));
        Assert.True(PathAttributes.TryParse(update.PathAttributes, update.PathAttributesOffset, true, out var pa, out _));
        return EndOfRib.TryGetFamily(update, pa, out family);
    }

    [Fact]
    public void Minimum_length_update_is_ipv4_unicast_end_of_rib()
    {
        Assert.True(Check("0000 0000", out var family));
        Assert.Equal(AfiSafi.Ipv4Unicast, family);
    }

    [Fact]
    public void Empty_mp_unreach_is_end_of_rib_of_its_family()
    {
        Assert.True(Check("0000 0006 800F 03 0002 01", out var family));
        Assert.Equal(AfiSafi.Ipv6Unicast, family);
        Assert.True(Check("0000 0006 800F 03 0019 46", out family));
        Assert.Equal(AfiSafi.L2vpnEvpn, family);
    }

    [Theory]
    [InlineData("0000 000D 800F 0A 0002 01 30 20010DB80001")] // withdraws something
    [InlineData("0000 000A 800F 03 0002 01 40 01 01 00")] // another attribute too
    [InlineData("0000 0000 18 C00002")] // IPv4 NLRI
    [InlineData("0004 18 C00002 0000")] // IPv4 withdrawal
    [InlineData("0000 0004 40 01 01 00")] // attributes without MP_UNREACH
    public void Other_updates_are_not_end_of_rib(string hex) => Assert.False(Check(hex, out _));
}
