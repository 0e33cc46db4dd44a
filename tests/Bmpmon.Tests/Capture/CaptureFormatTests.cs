using Bmpmon.Core.Capture;
using static Bmpmon.Tests.Capture.PacketBuilder;

namespace Bmpmon.Tests.Capture;

/// <summary>Container formats, link types and IP layers, on hand-made captures.</summary>
public sealed class CaptureFormatTests
{
    private const string Router = "192.0.2.1";
    private const string Collector = "192.0.2.2";
    private const ushort RouterPort = 40000;
    private const ushort BmpPort = 1790;

    private static readonly byte[] Initiation = Bmp(4, 30);
    private static readonly byte[] RouteMonitoring = Bmp(0, 50);

    private static byte[] ExpectedPayload => [.. Initiation, .. RouteMonitoring];

    // Two data segments router -> collector and the collector's ACK (no payload: never a stream).
    private static IEnumerable<byte[]> Packets(string router = Router, string collector = Collector) =>
    [
        Tcp(router, RouterPort, collector, BmpPort, 1000, Initiation),
        Tcp(collector, BmpPort, router, RouterPort, 5000, [], TcpFlags.Ack),
        Tcp(router, RouterPort, collector, BmpPort, 1000 + (uint)Initiation.Length, RouteMonitoring),
    ];

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Pcap_in_either_byte_order_with_micro_or_nanosecond_magic(bool bigEndian, bool nanoseconds)
    {
        var pcap = new PcapBuilder(1, bigEndian, nanoseconds);
        foreach (var packet in Packets())
        {
            pcap.Add(Ethernet(packet));
        }

        var file = CaptureReader.Read(pcap.ToArray());

        Assert.Equal(CaptureFormat.Pcap, file.Format);
        Assert.Null(file.Error);
        Assert.Equal((ushort?)BmpPort, file.BmpPort);
        var stream = Assert.Single(file.Streams);
        Assert.Equal(("192.0.2.1:40000", "192.0.2.2:1790", 0, 0), (stream.Source, stream.Destination, stream.Index, stream.TcpStream));
        Assert.Equal(ExpectedPayload, stream.Payload);
        Assert.Empty(stream.Gaps);
    }

    public static TheoryData<uint, string> LinkTypes() => new()
    {
        { 1, "ethernet" }, { 1, "vlan" }, { 1, "qinq" }, { 113, "sll" }, { 276, "sll2" },
        { 0, "null" }, { 101, "raw" }, { 12, "raw" }, { 14, "raw" },
    };

    [Theory]
    [MemberData(nameof(LinkTypes))]
    public void Link_types_carry_the_same_stream(uint linkType, string framing)
    {
        var pcap = new PcapBuilder(linkType);
        foreach (var packet in Packets())
        {
            pcap.Add(framing switch
            {
                "ethernet" => Ethernet(packet),
                "vlan" => Ethernet(packet, 0x8100),
                "qinq" => Ethernet(packet, 0x88A8, 0x8100),
                "sll" => Sll(packet),
                "sll2" => Sll2(packet),
                "null" => Null(packet),
                _ => packet,
            });
        }

        var stream = Assert.Single(CaptureReader.Read(pcap.ToArray()).Streams);
        Assert.Equal(ExpectedPayload, stream.Payload);
    }

    [Fact]
    public void Pcapng_in_both_byte_orders_across_sections_and_block_kinds()
    {
        var packets = Packets().ToArray();
        var bytes = new PcapNgBuilder()
            .Section()
            .Interface(1)
            .Enhanced(0, Ethernet(packets[0]))
            .Block(0x0BAD, new byte[8]) // unknown block: skipped by its length
            .Section(bigEndian: true)   // a new section: new byte order, interfaces numbered afresh
            .Interface(101)
            .Interface(113)
            .Simple(packets[1])
            .ObsoletePacket(1, Sll(packets[2]))
            .ToArray();

        var file = CaptureReader.Read(bytes);

        Assert.Equal(CaptureFormat.PcapNg, file.Format);
        Assert.Null(file.Error);
        Assert.Equal(ExpectedPayload, Assert.Single(file.Streams).Payload);
    }

    [Fact]
    public void Pcapng_packet_on_undeclared_interface_is_skipped()
    {
        var packets = Packets().ToArray();
        var bytes = new PcapNgBuilder().Section().Interface(101)
            .Enhanced(0, packets[0]).Enhanced(7, packets[2]).ToArray();

        var file = CaptureReader.Read(bytes);

        Assert.Null(file.Error);
        Assert.Equal(Initiation, Assert.Single(file.Streams).Payload);
    }

    [Fact]
    public void Ipv6_with_extension_headers_and_ipv4_with_options()
    {
        byte[] options = [1, 1, 1, 1, 0x94, 4, 0, 0]; // NOPs and a Router Alert: IHL 7
        var bytes = new PcapBuilder(101)
            .Add(Tcp(Router, RouterPort, Collector, BmpPort, 1, Initiation, ipv4Options: options))
            .Add(Ip("2001:db8::1", "2001:db8::2", 6,
                Tcp("2001:db8::1", 29715, "2001:db8::2", BmpPort, 7, RouteMonitoring)[40..], null, 0, 60, 43))
            .ToArray();

        var streams = CaptureReader.Read(bytes).Streams;

        Assert.Equal(2, streams.Count);
        Assert.Equal(Initiation, streams[0].Payload);
        Assert.Equal(("[2001:db8::1]:29715", "[2001:db8::2]:1790", 1, 1), (streams[1].Source, streams[1].Destination, streams[1].Index, streams[1].TcpStream));
        Assert.Equal(RouteMonitoring, streams[1].Payload);
    }

    [Fact]
    public void Udp_later_ipv4_fragments_and_ipv6_fragments_are_ignored()
    {
        var laterFragment = Tcp(Router, 40001, Collector, BmpPort, 1, RouteMonitoring);
        laterFragment[7] = 0x10; // fragment offset 16 (x8 bytes): no TCP header in here
        var v6Fragment = Ip("2001:db8::1", "2001:db8::2", 6,
            Tcp("2001:db8::1", 29715, "2001:db8::2", BmpPort, 7, RouteMonitoring)[40..], null, 44);
        var bytes = new PcapBuilder(101)
            .Add(Udp(Router, 4739, Collector, BmpPort, RouteMonitoring)) // IPFIX-style UDP, even to the BMP port
            .Add(laterFragment)
            .Add(v6Fragment)
            .Add(Tcp(Router, RouterPort, Collector, BmpPort, 1, Initiation))
            .ToArray();

        var stream = Assert.Single(CaptureReader.Read(bytes).Streams);
        Assert.Equal(Initiation, stream.Payload);
        Assert.Equal(0, stream.TcpStream); // the ignored packets opened no TCP conversation
    }

    [Fact]
    public void Garbage_is_a_raw_bmp_stream_and_an_empty_file_has_none()
    {
        byte[] garbage = [0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3];

        var file = CaptureReader.Read(garbage);

        Assert.Equal(CaptureFormat.RawBmp, file.Format);
        Assert.Null(file.Error);
        Assert.Null(file.BmpPort);
        var stream = Assert.Single(file.Streams);
        Assert.Equal(("file", "file"), (stream.Source, stream.Destination));
        Assert.Equal(garbage, stream.Payload);
        Assert.Empty(CaptureReader.Read([]).Streams);
    }
}
