using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Wire.Bmp;

public sealed class Rfc7854PerPeerHeaderTests
{
    private static PerPeerHeader Read(string hex)
    {
        var reader = new WireReader(Hex.Bytes(hex), 6);
        Assert.True(PerPeerHeader.TryRead(ref reader, out var header, out var error), error.ToString());
        Assert.True(reader.End);
        return header;
    }

    [Fact]
    public void Global_ipv4_peer_reads_every_field()
    {
        var h = Read(Hex.Peer(asn: 4200000001, seconds: 1700000000, micros: 999999));
        Assert.Equal(BmpPeerType.GlobalInstance, h.PeerType);
        Assert.Equal(PeerFlags.None, h.Flags);
        Assert.Equal(0ul, h.Distinguisher);
        Assert.Equal("192.0.2.1", h.PeerAddress.ToString());
        Assert.False(h.PeerAddress.IsV6);
        Assert.Equal(4200000001u, h.PeerAs);
        Assert.Equal(0xC0000201u, h.PeerBgpId);
        Assert.Equal(1700000000u, h.TimestampSeconds);
        Assert.Equal(999999u, h.TimestampMicroseconds);
        Assert.Equal(BmpRib.PrePolicy, h.Rib);
        Assert.Equal("pre-policy", h.Rib.Name());
    }

    [Fact]
    public void V_flag_reads_a_16_byte_ipv6_address()
    {
        var h = Read(Hex.Peer(flags: 0x80, address: "20010DB8000000000000000000000001"));
        Assert.True(h.IsIpv6);
        Assert.Equal("2001:db8::1", h.PeerAddress.ToString());
    }

    [Theory]
    [InlineData(0x00, BmpRib.PrePolicy, false, false, false)]
    [InlineData(0x40, BmpRib.PostPolicy, true, false, false)]
    [InlineData(0x20, BmpRib.PrePolicy, false, true, false)]
    [InlineData(0x10, BmpRib.AdjRibOutPre, false, false, true)]
    [InlineData(0x50, BmpRib.AdjRibOutPost, true, false, true)]
    [InlineData(0xF0, BmpRib.AdjRibOutPost, true, true, true)]
    public void Flags_decide_the_rib(byte flags, BmpRib rib, bool post, bool legacy, bool adjRibOut)
    {
        var h = Read(Hex.Peer(flags: flags, address: (flags & 0x80) != 0 ? "20010DB8000000000000000000000001" : "000000000000000000000000C0000201"));
        Assert.Equal(rib, h.Rib);
        Assert.Equal(post, h.IsPostPolicy);
        Assert.Equal(legacy, h.IsLegacyAsPath);
        Assert.Equal(adjRibOut, h.IsAdjRibOut);
        Assert.False(h.IsFiltered);
    }

    [Theory]
    [InlineData(BmpPeerType.GlobalInstance)]
    [InlineData(BmpPeerType.RdInstance)]
    [InlineData(BmpPeerType.LocalInstance)]
    public void Rd_and_local_instance_peers_keep_the_distinguisher(BmpPeerType type)
    {
        var h = Read(Hex.Peer(type: (byte)type, rd: "0001FDE800000064"));
        Assert.Equal(type, h.PeerType);
        Assert.Equal(0x0001FDE800000064ul, h.Distinguisher);
        Assert.False(h.IsLocRib);
    }

    [Fact]
    public void Unknown_peer_type_is_kept()
    {
        Assert.Equal((BmpPeerType)200, Read(Hex.Peer(type: 200)).PeerType);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(41)]
    public void Truncated_header_reports_its_start(int length)
    {
        var bytes = Hex.Bytes(Hex.Peer())[..length];
        var reader = new WireReader(bytes, 6);
        Assert.False(PerPeerHeader.TryRead(ref reader, out _, out var error));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 6, "per-peer header"), error);
    }
}
