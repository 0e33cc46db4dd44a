using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Bmpmon.Tests.Wire.Bmp;

namespace Bmpmon.Tests.Wire.Bgp.Open;

public sealed class Rfc9072ExtendedOptionalParametersTests
{
    private static string ExtendedOpen(string parameters)
    {
        var p = parameters.Replace(" ", string.Empty, StringComparison.Ordinal);
        return Hex.Bgp(1, $"04FDE800B40A000001FFFF{p.Length / 2:X4}{p}");
    }

    [Fact]
    public void Extended_parameters_use_2_byte_lengths()
    {
        var caps = Hex.Cap(1, "00010001") + Hex.Cap(65, "0000FDE8");
        var open = Hex.Bytes(ExtendedOpen($"02{caps.Length / 2:X4}{caps}"));
        Assert.True(BgpOpenMessage.TryParse(open, 0, out var o, out var e), e.ToString());
        Assert.True(o.HasExtendedParameters);
        var r = o.GetCapabilities();
        Assert.True(r.TryRead(out var mp, out _));
        Assert.Equal(CapabilityCode.Multiprotocol, mp.Code);
        Assert.Equal(19 + 10 + 3 + 3, mp.Offset);
        Assert.True(r.TryRead(out var as4, out _));
        Assert.Equal(CapabilityCode.FourOctetAs, as4.Code);
        Assert.Equal(65000u, o.FourOctetAs);
    }

    [Fact]
    public void A_long_capability_list_over_255_bytes()
    {
        var caps = string.Concat(Enumerable.Repeat(Hex.Cap(1, "00010001"), 70));
        var open = Hex.Bytes(ExtendedOpen($"02{caps.Length / 2:X4}{caps}"));
        Assert.True(BgpOpenMessage.TryParse(open, 0, out var o, out _));
        var n = 0;
        var r = o.GetCapabilities();
        while (r.TryRead(out _, out _))
        {
            n++;
        }

        Assert.Equal(70, n);
    }

    [Fact]
    public void Missing_extended_length_is_truncated()
    {
        var open = Hex.Bytes(Hex.Bgp(1, "04FDE800B40A000001FFFF"));
        Assert.False(BgpOpenMessage.TryParse(open, 0, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 29, "BGP OPEN extended optional parameters length"), e);
    }

    [Fact]
    public void Extended_length_past_the_message_is_a_bad_length()
    {
        var open = Hex.Bytes(ExtendedOpen("020000"));
        open[31] = 0x10;
        Assert.False(BgpOpenMessage.TryParse(open, 0, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.BadLength, 30, "BGP OPEN optional parameters length"), e);
    }

    [Fact]
    public void Parameter_with_a_truncated_2_byte_length()
    {
        var open = Hex.Bytes(ExtendedOpen("0200"));
        Assert.False(BgpOpenMessage.TryParse(open, 0, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 32, "OPEN optional parameter header"), e);
    }
}
