using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Tests.Wire.Bmp;

public sealed class Rfc8671AdjRibOutTests
{
    [Theory]
    [InlineData(0x10, BmpRib.AdjRibOutPre, "adj-rib-out-pre")]
    [InlineData(0x50, BmpRib.AdjRibOutPost, "adj-rib-out-post")]
    public void O_flag_selects_adj_rib_out(byte flags, BmpRib rib, string name)
    {
        var m = Hex.Bmp(0, Hex.Peer(flags: flags), Hex.EndOfRib);
        Assert.True(RouteMonitoringMessage.TryParse(m, out var rm, out _));
        Assert.True(rm.Peer.IsAdjRibOut);
        Assert.Equal(rib, rm.Peer.Rib);
        Assert.Equal(name, rm.Peer.Rib.Name());
    }

    [Fact]
    public void Adj_rib_out_statistics_types_decode()
    {
        var m = Hex.Bmp(1, Hex.Peer(flags: 0x10), "00000002",
            Hex.Tlv(14, "0000000000000010"),
            Hex.Tlv(17, "0002 01 0000000000000020"));
        Assert.True(StatisticsReport.TryParse(m, out var report, out _));
        var r = report.GetTlvs();
        Assert.True(r.TryRead(out var pre, out _));
        Assert.Equal(StatisticsType.RoutesPrePolicyAdjRibOut, pre.Type);
        Assert.Equal(16ul, pre.Value);
        Assert.True(r.TryRead(out var post, out _));
        Assert.Equal(StatisticsType.RoutesPerAfiSafiPostPolicyAdjRibOut, post.Type);
        Assert.Equal(AfiSafi.Ipv6Unicast, post.Family);
        Assert.Equal(32ul, post.Value);
    }

    [Fact]
    public void Add_path_for_adj_rib_out_is_the_reverse_of_adj_rib_in()
    {
        // Router: send ipv4-unicast; peer: receive ipv4-unicast.
        var sent = Hex.Bytes(Hex.Open(65001, 90, "01010101", Hex.Caps(Hex.Cap(69, "00010102"))));
        var received = Hex.Bytes(Hex.Open(65002, 90, "02020202", Hex.Caps(Hex.Cap(69, "00010101"))));
        Assert.True(BgpOpenMessage.TryParse(sent, 0, out var s, out _));
        Assert.True(BgpOpenMessage.TryParse(received, 0, out var r, out _));
        var caps = PeerCapabilities.FromOpens(s, r);
        Assert.True(caps.HasAddPath(AfiSafi.Ipv4Unicast, adjRibOut: true));
        Assert.False(caps.HasAddPath(AfiSafi.Ipv4Unicast, adjRibOut: false));
        Assert.Equal([AfiSafi.Ipv4Unicast], caps.AddPathAdjRibOut);
        Assert.Empty(caps.AddPathAdjRibIn);
    }
}
