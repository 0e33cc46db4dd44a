using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Tests.Wire.Bmp;

public sealed class Rfc9069LocRibTests
{
    private const string ZeroAddress = "00000000000000000000000000000000";

    [Fact]
    public void Loc_rib_peer_has_no_address_and_the_F_flag_means_filtered()
    {
        var m = Hex.Bmp(0, Hex.Peer(type: 3, flags: 0x80, address: ZeroAddress, bgpId: "02020202"), Hex.EndOfRib);
        Assert.True(RouteMonitoringMessage.TryParse(m, out var rm, out var e), e.ToString());
        Assert.True(rm.Peer.IsLocRib);
        Assert.True(rm.Peer.IsFiltered);
        Assert.False(rm.Peer.IsIpv6);
        Assert.False(rm.Peer.IsPostPolicy);
        Assert.False(rm.Peer.PeerAddress.HasValue);
        Assert.Equal(BmpRib.LocRib, rm.Peer.Rib);
        Assert.Equal("loc-rib", rm.Peer.Rib.Name());
    }

    [Fact]
    public void Loc_rib_peer_up_has_zero_local_address_and_ports_and_a_vrf_tlv()
    {
        var open = Hex.Open(100, 180, "02020202", Hex.Caps(Hex.Cap(65, "00000064"), Hex.Cap(1, "00010001"), Hex.Cap(69, "00010102")));
        var m = Hex.Bmp(3, Hex.Peer(type: 3, address: ZeroAddress), ZeroAddress, "00000000", open, open, Hex.Tlv(3, Hex.Text("global")));
        Assert.True(PeerUpNotification.TryParse(m, out var up, out var e), e.ToString());
        Assert.False(up.LocalAddress.HasValue);
        Assert.Equal(0, up.LocalPort);
        var tlvs = up.GetInformationTlvs();
        Assert.True(tlvs.TryRead(out var tlv, out _));
        Assert.Equal((ushort)PeerUpTlvType.VrfTableName, tlv.Type);
        Assert.Equal("global", tlv.ValueAsString());

        // RFC 9069 s5.2: Send in the fabricated sent OPEN means the Loc-RIB routes carry path IDs.
        var caps = PeerCapabilities.FromOpens(up.SentOpen, up.ReceivedOpen, locRib: true);
        Assert.True(caps.HasAddPath(AfiSafi.Ipv4Unicast, adjRibOut: false));
    }

    [Fact]
    public void Peer_down_reason_6_carries_tlvs()
    {
        var m = Hex.Bmp(2, Hex.Peer(type: 3, flags: 0x80, address: ZeroAddress), "06", Hex.Tlv(3, Hex.Text("global")));
        Assert.True(PeerDownNotification.TryParse(m, out var down, out var e), e.ToString());
        Assert.Equal(PeerDownReason.LocalSystemClosedTlvDataFollows, down.Reason);
        Assert.False(down.DataError.IsError);
        var tlvs = down.GetTlvs();
        Assert.True(tlvs.TryRead(out var tlv, out _));
        Assert.Equal(3, tlv.Type);
        Assert.Equal("global", tlv.ValueAsString());
        Assert.Equal(49, tlv.Offset);
    }
}
