using Bmpmon.Core.Wire.Bgp.Attributes;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

public sealed class Rfc7606ErrorHandlingTests
{
    [Theory]
    [InlineData("40 01 01 07")] // s7.1: undefined ORIGIN
    [InlineData("40 01 02 0000")] // s7.1: ORIGIN length
    [InlineData("40 02 02 0200")] // s7.2: empty segment
    [InlineData("40 02 05 02 01 0000FD")] // s7.2: overrun in both widths
    [InlineData("40 03 05 C000020101")] // s7.3: NEXT_HOP length
    [InlineData("80 04 03 000064")] // s7.4: MED length
    [InlineData("40 05 05 00000000C8")] // s7.5: LOCAL_PREF length
    [InlineData("80 09 03 0A0000")] // s7.9: ORIGINATOR_ID length
    [InlineData("80 0A 06 0A0000010A00")] // s7.10: CLUSTER_LIST length
    [InlineData("80 0A 00")] // s7.10: empty CLUSTER_LIST
    [InlineData("C0 23 02 FDE8")] // RFC 9234 s5: OTC length
    public void Treat_as_withdraw(string hex)
    {
        Assert.True(PathAttributes.TryParse(Hex(hex), Base, true, out var pa, out var error), error.ToString());
        Assert.Equal(1, pa.MalformedCount);
        Assert.True(pa.TreatAsWithdraw);
        Assert.False(pa.HasOrigin);
        Assert.False(pa.HasMed);
        Assert.False(pa.HasLocalPref);
        Assert.False(pa.HasOriginatorId);
        Assert.False(pa.HasOtc);
        Assert.False(pa.NextHop.HasValue);
        Assert.False(pa.AsPath.IsPresent);
    }

    [Theory]
    [InlineData("40 06 01 00")] // s7.6: ATOMIC_AGGREGATE length
    [InlineData("C0 07 05 FDE8C00002")] // s7.7: AGGREGATOR length
    [InlineData("C0 07 07 0000FDE8C00002")]
    public void Attribute_discard(string hex)
    {
        Assert.True(PathAttributes.TryParse(Hex(hex), Base, true, out var pa, out _));
        Assert.Equal(1, pa.MalformedCount);
        Assert.False(pa.TreatAsWithdraw);
        Assert.False(pa.AtomicAggregate);
        Assert.False(pa.HasAggregator);
    }

    [Fact]
    public void Duplicates_keep_the_first_and_count_the_rest()
    {
        var block = Block(Origin, Med, Hex("40 01 01 02"), Hex("80 04 04 00000005"));
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out _));
        Assert.Equal(BgpOrigin.Igp, pa.Origin);
        Assert.Equal(100u, pa.Med);
        Assert.Equal(2, pa.MalformedCount);
        Assert.False(pa.TreatAsWithdraw);
        Assert.Equal(4, pa.Count);
    }

    [Fact]
    public void Well_known_attribute_flagged_optional_is_treat_as_withdraw_but_still_shown()
    {
        Assert.True(PathAttributes.TryParse(Hex("C0 01 01 01"), Base, true, out var pa, out _));
        Assert.True(pa.TreatAsWithdraw);
        Assert.Equal(1, pa.MalformedCount);
        Assert.Equal(BgpOrigin.Egp, pa.Origin);
    }

    [Fact]
    public void Optional_attribute_flagged_well_known_is_treat_as_withdraw()
    {
        Assert.True(PathAttributes.TryParse(Hex("40 04 04 00000064"), Base, true, out var pa, out _));
        Assert.True(pa.TreatAsWithdraw);
        Assert.Equal(100u, pa.Med);
    }

    [Fact]
    public void Malformed_attributes_do_not_hide_the_good_ones()
    {
        var block = Block(Hex("40 01 01 07"), AsPath4, NextHop, Hex("C0 08 03 FDE800"), LocalPref);
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out _));
        Assert.Equal(2, pa.MalformedCount);
        Assert.True(pa.TreatAsWithdraw);
        Assert.Equal(5, pa.AsPath.Length);
        Assert.Equal(200u, pa.LocalPref);
        Assert.True(pa.NextHop.HasValue);
    }
}
