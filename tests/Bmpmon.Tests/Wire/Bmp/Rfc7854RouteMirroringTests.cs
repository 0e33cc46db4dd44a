using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Wire.Bmp;

public sealed class Rfc7854RouteMirroringTests
{
    [Fact]
    public void Reads_the_bgp_message_and_information_tlvs()
    {
        var m = Hex.Bmp(6, Hex.Peer(), Hex.Tlv(0, Hex.EndOfRib), Hex.Tlv(1, "0001"));
        Assert.True(RouteMirroringMessage.TryParse(m, out var mirror, out var e), e.ToString());
        var r = mirror.GetTlvs();
        Assert.True(r.TryRead(out var pdu, out _));
        Assert.Equal((ushort)RouteMirroringTlvType.BgpMessage, pdu.Type);
        Assert.True(BgpMessageHeader.TryRead(pdu.Value, pdu.ValueOffset, out var h, out _));
        Assert.Equal(BgpMessageType.Update, h.Type);
        Assert.True(r.TryRead(out var info, out _));
        Assert.True(info.TryGetUInt16(out var code));
        Assert.Equal(RouteMirroringInformation.MessagesLost, (RouteMirroringInformation)code);
    }

    [Fact]
    public void Truncated_tlv_fails_with_its_offset()
    {
        var m = Hex.Bmp(6, Hex.Peer(), "0001 0002 00");
        Assert.False(RouteMirroringMessage.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 48, "BMP TLV value"), e);
    }
}
