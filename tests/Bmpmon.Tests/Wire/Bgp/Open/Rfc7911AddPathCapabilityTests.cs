using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Tests.Wire.Bmp;

namespace Bmpmon.Tests.Wire.Bgp.Open;

public sealed class Rfc7911AddPathCapabilityTests
{
    private static PeerCapabilities Negotiate(string sentAddPath, string receivedAddPath)
    {
        var sent = Hex.Bytes(Hex.Open(65001, 90, "01010101", Hex.Caps(Hex.Cap(1, "00010001"), Hex.Cap(1, "00020001"), Hex.Cap(65, "0000FDE9"), Hex.Cap(69, sentAddPath))));
        var received = Hex.Bytes(Hex.Open(65002, 90, "02020202", Hex.Caps(Hex.Cap(1, "00010001"), Hex.Cap(65, "0000FDEA"), Hex.Cap(69, receivedAddPath))));
        Assert.True(BgpOpenMessage.TryParse(sent, 0, out var s, out _));
        Assert.True(BgpOpenMessage.TryParse(received, 0, out var r, out _));
        return PeerCapabilities.FromOpens(s, r);
    }

    [Fact]
    public void Entries_decode()
    {
        var open = Hex.Bytes(Hex.Open(1, 90, "01010101", Hex.Caps(Hex.Cap(69, "0001 01 01 0002 01 02 0019 46 03"))));
        Assert.True(BgpOpenMessage.TryParse(open, 0, out var o, out _));
        var r = o.GetCapabilities();
        Assert.True(r.TryRead(out var c, out _));
        Assert.True(AddPathCapability.TryDecode(c, out var addPath, out _));
        Assert.Equal(3, addPath.Count);
        Assert.Equal(new AddPathEntry(AfiSafi.Ipv4Unicast, AddPathDirection.Receive), addPath[0]);
        Assert.Equal(new AddPathEntry(AfiSafi.Ipv6Unicast, AddPathDirection.Send), addPath[1]);
        Assert.Equal(new AddPathEntry(AfiSafi.L2vpnEvpn, AddPathDirection.Both), addPath[2]);
        Assert.True(addPath[2].CanSend && addPath[2].CanReceive);
    }

    [Fact]
    public void Entries_must_be_4_bytes()
    {
        var open = Hex.Bytes(Hex.Open(1, 90, "01010101", Hex.Caps(Hex.Cap(69, "000101"))));
        Assert.True(BgpOpenMessage.TryParse(open, 0, out var o, out _));
        var r = o.GetCapabilities();
        Assert.True(r.TryRead(out var c, out _));
        Assert.False(AddPathCapability.TryDecode(c, out _, out var e));
        Assert.Equal(Bmpmon.Core.Wire.Primitives.DecodeErrorCode.BadLength, e.Code);
    }

    [Theory]
    [InlineData(1, 2, true, false)] // we receive, peer sends: Adj-RIB-In has path IDs
    [InlineData(2, 1, false, true)] // we send, peer receives: Adj-RIB-Out has path IDs
    [InlineData(3, 3, true, true)]
    [InlineData(1, 1, false, false)]
    [InlineData(2, 2, false, false)]
    public void Path_ids_need_send_on_one_side_and_receive_on_the_other(byte sent, byte received, bool adjRibIn, bool adjRibOut)
    {
        var caps = Negotiate($"000101{sent:X2}", $"000101{received:X2}");
        Assert.Equal(adjRibIn, caps.HasAddPath(AfiSafi.Ipv4Unicast, adjRibOut: false));
        Assert.Equal(adjRibOut, caps.HasAddPath(AfiSafi.Ipv4Unicast, adjRibOut: true));
        Assert.False(caps.HasAddPath(AfiSafi.Ipv6Unicast, adjRibOut: false));
        Assert.True(caps.FourOctetAs);
        Assert.Equal([AfiSafi.Ipv4Unicast], caps.Families);
        Assert.Equal(2, caps.SentFamilies.Count);
    }

    [Fact]
    public void Families_are_matched_independently()
    {
        var caps = Negotiate("00010103 00020103", "00010102");
        Assert.Equal([AfiSafi.Ipv4Unicast], caps.AddPathAdjRibIn);
        Assert.Empty(caps.AddPathAdjRibOut);
    }
}
