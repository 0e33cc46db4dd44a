using Bmpmon.Core.Wire.Bgp.Attributes;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

public sealed class Rfc5065ConfederationTests
{
    [Fact]
    public void Confederation_segments_format_and_count_zero()
    {
        // (65010 65011) [65012,65013] 65001 {65002}
        var block = Hex("40 02 20 03 02 0000FDF2 0000FDF3 04 02 0000FDF4 0000FDF5 02 01 0000FDE9 01 01 0000FDEA");
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out _));
        Assert.Equal("(65010 65011) [65012,65013] 65001 {65002}", pa.AsPath.ToString());
        Assert.Equal(2, pa.AsPath.Length);
        Assert.Equal(6, pa.AsPath.AsnCount);
        Assert.Equal(65001u, pa.AsPath.FirstAs);
        Assert.Equal(0u, pa.AsPath.OriginAs);

        var types = new List<AsPathSegmentType>();
        foreach (var s in pa.AsPath)
        {
            types.Add(s.Type);
        }

        Assert.Equal([AsPathSegmentType.AsConfedSequence, AsPathSegmentType.AsConfedSet, AsPathSegmentType.AsSequence, AsPathSegmentType.AsSet], types);
    }

    [Fact]
    public void Path_inside_the_confederation_only()
    {
        Assert.True(PathAttributes.TryParse(Hex("40 02 06 03 01 0000FDF2"), Base, true, out var pa, out _));
        Assert.Equal("(65010)", pa.AsPath.ToString());
        Assert.Equal(0, pa.AsPath.Length);
        Assert.Equal(0u, pa.AsPath.FirstAs);
        Assert.Equal(0u, pa.AsPath.OriginAs);
    }

    [Fact]
    public void As4_merge_keeps_the_leading_confederation_segments_of_as_path()
    {
        // AS_PATH (2-octet): (65010) 23456; AS4_PATH: 4200000000.
        var asPath = Hex("40 02 08 03 01 FDF2 02 01 5BA0");
        var as4 = Hex("C0 11 06 02 01 FA56EA00");
        Assert.True(PathAttributes.TryParse(Block(asPath, as4), Base, false, out var pa, out _));
        Assert.Equal("(65010) 4200000000", pa.AsPath.ToString());
    }

    [Fact]
    public void Unknown_segment_type_is_malformed()
    {
        Assert.True(PathAttributes.TryParse(Hex("40 02 06 05 01 0000FDF2"), Base, true, out var pa, out _));
        Assert.False(pa.AsPath.IsPresent);
        Assert.True(pa.TreatAsWithdraw);
    }
}
