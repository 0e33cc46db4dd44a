using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp;

public sealed class BgpUpdateTests
{
    [Fact]
    public void Splits_withdrawn_attributes_and_nlri_with_absolute_offsets()
    {
        var body = Hex("0004 18 C63364 0004 40 01 01 00 18 C00002 10 0A00");
        Assert.True(BgpUpdate.TryParse(body, Base, out var u, out var error), error.ToString());
        Assert.Equal(Hex("18 C63364"), u.WithdrawnRoutes.ToArray());
        Assert.Equal(Base + 2, u.WithdrawnRoutesOffset);
        Assert.Equal(Hex("40 01 01 00"), u.PathAttributes.ToArray());
        Assert.Equal(Base + 8, u.PathAttributesOffset);
        Assert.Equal(Hex("18 C00002 10 0A00"), u.Nlri.ToArray());
        Assert.Equal(Base + 12, u.NlriOffset);
        Assert.False(u.IsEmpty);
    }

    [Fact]
    public void Zero_length_nlri()
    {
        var body = Hex("0000 0004 40 01 01 00");
        Assert.True(BgpUpdate.TryParse(body, Base, out var u, out _));
        Assert.True(u.WithdrawnRoutes.IsEmpty);
        Assert.True(u.Nlri.IsEmpty);
        Assert.Equal(Base + body.Length, u.NlriOffset);
    }

    [Fact]
    public void Minimum_length_update_is_empty()
    {
        Assert.True(BgpUpdate.TryParse(Hex("0000 0000"), Base, out var u, out _));
        Assert.True(u.IsEmpty);
    }

    [Theory]
    [InlineData("", DecodeErrorCode.Truncated, 0)]
    [InlineData("00", DecodeErrorCode.Truncated, 0)]
    [InlineData("0005 18 C633", DecodeErrorCode.BadLength, 0)]
    [InlineData("0000", DecodeErrorCode.Truncated, 2)]
    [InlineData("0000 00", DecodeErrorCode.Truncated, 2)]
    [InlineData("0000 0005 40 01 01 00", DecodeErrorCode.BadLength, 2)]
    public void Bad_lengths_fail_at_the_length_field(string hex, DecodeErrorCode code, int offset)
    {
        Assert.False(BgpUpdate.TryParse(Hex(hex), Base, out _, out var error));
        Assert.Equal(code, error.Code);
        Assert.Equal(Base + offset, error.Offset);
    }
}
