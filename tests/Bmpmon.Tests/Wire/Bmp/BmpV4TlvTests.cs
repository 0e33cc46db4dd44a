using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Wire.Bmp;

public sealed class BmpV4TlvTests
{
    [Fact]
    public void V4_route_monitoring_finds_the_pdu_among_indexed_tlvs()
    {
        var m = Hex.Bmp(4, 0, Hex.Peer(type: 3),
            Hex.TlvIndexed(2, 0x8001, "00010002"),
            Hex.TlvIndexed(3, 0, Hex.Text("global")),
            Hex.TlvIndexed(4, 0, Hex.EndOfRib),
            Hex.TlvIndexed(5, 1, "0000008A"));
        Assert.True(RouteMonitoringMessage.TryParse(m, out var rm, out var e), e.ToString());
        Assert.Equal(4, rm.Version);
        Assert.Equal(23, rm.BgpMessage.Length);
        Assert.Equal(48 + 10 + 12 + 6, rm.BgpMessageOffset);
        Assert.True(rm.TlvsHaveIndex);

        var r = rm.GetTlvs();
        Assert.True(r.TryRead(out var group, out _));
        Assert.Equal((ushort)RouteMonitoringTlvType.Group, group.Type);
        Assert.True(group.IsGroupIndex);
        Assert.Equal(32769, group.Index);
        Assert.True(r.TryRead(out var vrf, out _));
        Assert.Equal("global", vrf.ValueAsString());
        Assert.True(r.TryRead(out var status, out _));
        Assert.Equal((ushort)RouteMonitoringTlvType.PathStatus, status.Type);
        Assert.Equal(1, status.Index);
        Assert.False(r.TryRead(out _, out var end));
        Assert.False(end.IsError);
    }

    [Fact]
    public void V4_pdu_under_another_type_number_is_found_by_its_marker()
    {
        var m = Hex.Bmp(4, 0, Hex.Peer(), Hex.TlvIndexed(7, 0, Hex.EndOfRib));
        Assert.True(RouteMonitoringMessage.TryParse(m, out var rm, out _));
        Assert.Equal(54, rm.BgpMessageOffset);
    }

    [Fact]
    public void V4_without_a_pdu_is_a_bad_value()
    {
        var m = Hex.Bmp(4, 0, Hex.Peer(), Hex.TlvIndexed(3, 0, Hex.Text("global")));
        Assert.False(RouteMonitoringMessage.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.BadValue, 48, "BMP v4 Route Monitoring: no BGP Message TLV"), e);
    }

    [Fact]
    public void V4_with_the_pdu_right_after_the_peer_header_reads_like_v3()
    {
        // The bmp_play dump: version 4, UPDATE first, then index-less TLVs.
        var m = Hex.Bmp(4, 0, Hex.Peer(), Hex.EndOfRib, Hex.Tlv(0, "0001000100080000000100000004"));
        Assert.True(RouteMonitoringMessage.TryParse(m, out var rm, out _));
        Assert.Equal(48, rm.BgpMessageOffset);
        Assert.False(rm.TlvsHaveIndex);
        var r = rm.GetTlvs();
        Assert.True(r.TryRead(out var tlv, out _));
        Assert.Equal(14, tlv.Value.Length);
    }

    [Fact]
    public void V3_trailing_bytes_after_the_update_are_kept()
    {
        var m = Hex.Bmp(0, Hex.Peer(), Hex.EndOfRib, "0102030405060708");
        Assert.True(RouteMonitoringMessage.TryParse(m, out var rm, out _));
        Assert.Equal(23, rm.BgpMessage.Length);
        Assert.Equal(8, rm.Tlvs.Length);
        Assert.Equal(71, rm.TlvsOffset);
    }

    [Fact]
    public void Route_monitoring_with_a_non_update_pdu_is_an_unexpected_type()
    {
        var m = Hex.Bmp(0, Hex.Peer(), Hex.Bgp(4, ""));
        Assert.False(RouteMonitoringMessage.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.UnexpectedType, 66, "Route Monitoring BGP message type"), e);
    }

    [Fact]
    public void Route_monitoring_pdu_longer_than_the_message_is_truncated()
    {
        var m = Hex.Bmp(0, Hex.Peer(), Hex.EndOfRib[..^2]);
        Assert.False(RouteMonitoringMessage.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 64, "BGP message length"), e);
    }

    [FixtureFact]
    public void Path_status_capture_matches_netgauze()
    {
        var root = Fixtures.RequireRoot();

        var file = Path.Combine(root, "netgauze", "streams", "path-status__ipv4_unicast_path_marking.pcap.stream0.bmp");
        var rms = FixtureStreams.Messages(file).Where(x => x.Message[5] == 0).Select(x => x.Message).ToList();
        Assert.Equal(3, rms.Count);
        Assert.True(RouteMonitoringMessage.TryParse(rms[0], out var rm, out _));
        Assert.Equal(61, rm.BgpMessage.Length);
        var r = rm.GetTlvs();
        Assert.True(r.TryRead(out var group, out _));
        Assert.Equal(32769, group.Index);
        Assert.Equal(Hex.Bytes("00010002"), group.Value.ToArray());
        Assert.True(r.TryRead(out var vrf, out _));
        Assert.Equal("global", vrf.ValueAsString());
        Assert.True(r.TryRead(out var marking, out _));
        Assert.Equal(1, marking.Index);
        Assert.Equal(0x8Au, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(marking.Value)); // BEST | PRIMARY | ADD_PATH

        var up = FixtureStreams.Messages(file).First(x => x.Message[5] == 3).Message;
        Assert.True(PeerUpNotification.TryParse(up, out var peerUp, out _));
        Assert.Equal(100u, peerUp.SentOpen.FourOctetAs);
        Assert.True(peerUp.GetInformationTlvs().TryRead(out var name, out _));
        Assert.Equal("global", name.ValueAsString());
    }
}
