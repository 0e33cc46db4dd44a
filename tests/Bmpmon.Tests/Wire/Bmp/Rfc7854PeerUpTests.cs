using System.Buffers.Binary;
using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Wire.Bmp;

public sealed class Rfc7854PeerUpTests
{
    private static readonly string SentOpen = Hex.Open(64496, 180, "CB00712C", Hex.Caps(Hex.Cap(1, "00010001"), Hex.Cap(1, "00020001"), Hex.Cap(2, ""), Hex.Cap(65, "0000FBF0"), Hex.Cap(73, "0472747231" + "076578616D706C65")));
    private static readonly string ReceivedOpen = Hex.Open(23456, 90, "CB00715B", Hex.Caps(Hex.Cap(1, "00010001"), Hex.Cap(65, "FBF00001"), Hex.Cap(69, "00010103")));

    private static byte[] Message(byte flags = 0, string local = "000000000000000000000000CB00712C", string info = "") =>
        Hex.Bmp(3, Hex.Peer(flags: flags, address: flags == 0 ? "000000000000000000000000CB00715B" : "20010DB8000000000000000000000002"), local, "B9D1" + "00B3", SentOpen, ReceivedOpen, info);

    [Fact]
    public void Reads_addresses_ports_both_opens_and_information()
    {
        var m = Message(info: Hex.Tlv(0, Hex.Text("hello")) + Hex.Tlv(4, Hex.Text("core")));
        Assert.True(PeerUpNotification.TryParse(m, out var up, out var e), e.ToString());
        Assert.Equal("203.0.113.44", up.LocalAddress.ToString());
        Assert.Equal(47569, up.LocalPort);
        Assert.Equal(179, up.RemotePort);
        Assert.Equal(64496, up.SentOpen.MyAs);
        Assert.Equal(180, up.SentOpen.HoldTime);
        Assert.Equal(0xCB00712Cu, up.SentOpen.BgpId);
        Assert.Equal(23456, up.ReceivedOpen.MyAs);
        Assert.Equal(0xFBF00001u, up.ReceivedOpen.FourOctetAs);

        var info = up.GetInformationTlvs();
        Assert.True(info.TryRead(out var s, out _));
        Assert.Equal((ushort)PeerUpTlvType.String, s.Type);
        Assert.Equal("hello", s.ValueAsString());
        Assert.True(info.TryRead(out var label, out _));
        Assert.Equal((ushort)PeerUpTlvType.AdminLabel, label.Type);
        Assert.False(info.TryRead(out _, out var end));
        Assert.False(end.IsError);

        var caps = PeerCapabilities.FromOpens(up.SentOpen, up.ReceivedOpen);
        Assert.True(caps.FourOctetAs);
        Assert.Equal(0xFBF00001u, caps.PeerAs);
        Assert.Equal(64496u, caps.LocalAs);
        Assert.Equal([AfiSafi.Ipv4Unicast], caps.Families);
        Assert.Equal("rtr1.example", caps.LocalFqdn);
        Assert.Null(caps.Fqdn);
        Assert.Equal(90, caps.HoldTime);
        Assert.False(caps.RouteRefresh);

        // The peer can send, but the router never said it can receive: no path IDs (RFC 7911 s4).
        Assert.False(caps.HasAddPath(AfiSafi.Ipv4Unicast, adjRibOut: false));
    }

    [Fact]
    public void V_flag_makes_the_local_address_ipv6()
    {
        Assert.True(PeerUpNotification.TryParse(Message(0x80, "20010DB8000000000000000000000001"), out var up, out _));
        Assert.Equal("2001:db8::1", up.LocalAddress.ToString());
    }

    [Fact]
    public void A_non_open_pdu_is_an_unexpected_type()
    {
        var m = Hex.Bmp(3, Hex.Peer(), "000000000000000000000000CB00712C", "B9D100B3", Hex.Bgp(4, ""), ReceivedOpen);
        Assert.False(PeerUpNotification.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.UnexpectedType, 68 + 18, "BGP OPEN type"), e);
    }

    [Fact]
    public void Truncation_at_every_offset_never_throws()
    {
        var messages = new List<byte[]> { Message(info: Hex.Tlv(2, Hex.Text("r1"))) };
        if (Fixtures.Root is { } root)
        {
            var file = Path.Combine(root, "netgauze", "streams", "peers-with-different-caps__example.pcap.stream0.bmp");
            messages.Add(FixtureStreams.Messages(file).First(x => x.Message[5] == 3).Message);
        }

        foreach (var full in messages)
        {
            Assert.True(PeerUpNotification.TryParse(full, out _, out var ok), ok.ToString());
            for (var length = 0; length < full.Length; length++)
            {
                // As cut by a framer that lost bytes: the span ends early.
                Assert.False(PeerUpNotification.TryParse(full.AsSpan(0, length), out _, out var cut));
                Assert.Equal(DecodeErrorCode.Truncated, cut.Code);

                // As announced by a router: the BMP length itself is short.
                if (length >= 6)
                {
                    var shortened = full[..length];
                    BinaryPrimitives.WriteUInt32BigEndian(shortened.AsSpan(1), (uint)length);
                    if (PeerUpNotification.TryParse(shortened, out _, out var e))
                    {
                        // Only a cut inside the Information TLVs... which then must be at a TLV boundary.
                        Assert.True(length > full.Length - 100);
                        continue;
                    }

                    Assert.True(e.Code is DecodeErrorCode.Truncated or DecodeErrorCode.BadLength, $"{length}: {e}");
                    Assert.InRange(e.Offset, 0, length);
                }
            }
        }
    }
}
