using Bmpmon.Core.Capture;
using static Bmpmon.Tests.Capture.PacketBuilder;

namespace Bmpmon.Tests.Capture;

/// <summary>TCP reassembly per direction: order, duplicates, holes, wraparound, SYN, port reuse, stream selection.</summary>
public sealed class TcpReassemblyTests
{
    private const string Router = "192.0.2.1";
    private const string Collector = "192.0.2.2";
    private const ushort RouterPort = 40000;
    private const ushort BmpPort = 1790;

    // 60 bytes of stream: a BMP Initiation header, then a body counting up.
    private static readonly byte[] Stream = Bmp(4, 54);

    private static byte[] Data(uint sequence, int from, int to) =>
        Tcp(Router, RouterPort, Collector, BmpPort, sequence, Stream.AsSpan(from, to - from));

    private static CaptureStream ReadSingle(params byte[][] packets)
    {
        var pcap = new PcapBuilder(101);
        foreach (var packet in packets)
        {
            pcap.Add(packet);
        }

        var file = CaptureReader.Read(pcap.ToArray(), BmpPort);
        Assert.Null(file.Error);
        return Assert.Single(file.Streams);
    }

    [Fact]
    public void Out_of_order_segments_are_put_in_sequence_order()
    {
        var stream = ReadSingle(Data(100, 0, 20), Data(140, 40, 60), Data(120, 20, 40));

        Assert.Equal(Stream, stream.Payload);
        Assert.Empty(stream.Gaps);
    }

    [Fact]
    public void A_capture_starting_mid_connection_out_of_order_starts_at_the_lowest_sequence()
    {
        var stream = ReadSingle(Data(120, 20, 60), Data(100, 0, 20));

        Assert.Equal(Stream, stream.Payload);
    }

    [Fact]
    public void Retransmitted_and_overlapping_bytes_keep_the_first_copy()
    {
        var changed = (byte[])Stream.Clone();
        changed.AsSpan(10, 30).Fill(0xEE);
        var stream = ReadSingle(
            Data(100, 0, 20),
            Tcp(Router, RouterPort, Collector, BmpPort, 110, changed.AsSpan(10, 30)), // bytes 10..40: 10..20 already here
            Data(100, 0, 20),                                                          // plain retransmission
            Data(130, 30, 60));                                                        // 30..40 already here

        Assert.Equal([.. Stream[..20], .. changed[20..40], .. Stream[40..]], stream.Payload);
        Assert.Empty(stream.Gaps);
    }

    [Fact]
    public void A_later_segment_starting_lower_does_not_overwrite_bytes_already_received()
    {
        var changed = (byte[])Stream.Clone();
        changed.AsSpan(0, 30).Fill(0xEE);
        var stream = ReadSingle(
            Data(120, 20, 60),
            Tcp(Router, RouterPort, Collector, BmpPort, 100, changed.AsSpan(0, 30)));

        Assert.Equal([.. changed[..20], .. Stream[20..]], stream.Payload);
    }

    [Fact]
    public void A_hole_is_recorded_as_a_gap_and_reading_continues_after_it()
    {
        var stream = ReadSingle(Data(100, 0, 20), Data(130, 30, 60));

        Assert.Equal([.. Stream[..20], .. Stream[30..]], stream.Payload);
        Assert.Equal([new CaptureGap(20, 10)], stream.Gaps);
    }

    [Fact]
    public void Sequence_numbers_wrap_around()
    {
        const uint Isn = 0xFFFF_FFF0;
        var stream = ReadSingle(
            Tcp(Router, RouterPort, Collector, BmpPort, Isn, [], TcpFlags.Syn),
            Data(unchecked(Isn + 21), 20, 40), // after the wrap: 0x5
            Data(Isn + 1, 0, 20),   // before it
            Data(unchecked(Isn + 41), 40, 60));

        Assert.Equal(Stream, stream.Payload);
        Assert.Empty(stream.Gaps);
    }

    [Fact]
    public void Syn_consumes_one_sequence_number_and_a_lost_first_segment_is_a_leading_gap()
    {
        var whole = ReadSingle(Tcp(Router, RouterPort, Collector, BmpPort, 99, [], TcpFlags.Syn), Data(100, 0, 60));
        var holed = ReadSingle(Tcp(Router, RouterPort, Collector, BmpPort, 99, [], TcpFlags.Syn), Data(110, 10, 60));

        Assert.Equal(Stream, whole.Payload);
        Assert.Equal([new CaptureGap(0, 10)], holed.Gaps);
    }

    [Fact]
    public void Data_on_a_syn_follows_the_syn_or_the_next_segment_when_a_generator_did_not_count_the_syn()
    {
        // RFC 9293: the SYN takes sequence number 99, its data starts at 100.
        var counted = ReadSingle(
            Tcp(Router, RouterPort, Collector, BmpPort, 99, Stream.AsSpan(0, 20), TcpFlags.Syn),
            Data(120, 20, 60));
        // pmacct's synthetic captures: SYN at 1 with 20 bytes, next segment at 21.
        var uncounted = ReadSingle(
            Tcp(Router, RouterPort, Collector, BmpPort, 1, Stream.AsSpan(0, 20), TcpFlags.Syn),
            Data(21, 20, 60));

        Assert.Equal(Stream, counted.Payload);
        Assert.Equal(Stream, uncounted.Payload);
        Assert.Empty(counted.Gaps);
        Assert.Empty(uncounted.Gaps);
    }

    [Fact]
    public void A_syn_with_a_new_isn_on_the_same_ports_is_a_new_connection()
    {
        var pcap = new PcapBuilder(101)
            .Add(Tcp(Router, RouterPort, Collector, BmpPort, 5000, [], TcpFlags.Syn))
            .Add(Tcp(Router, RouterPort, Collector, BmpPort, 5000, [], TcpFlags.Syn)) // retransmitted: same connection
            .Add(Tcp(Router, RouterPort, Collector, BmpPort, 5001, [], TcpFlags.Rst))
            .Add(Tcp(Router, RouterPort, Collector, BmpPort, 99, [], TcpFlags.Syn))
            .Add(Data(100, 0, 60));

        var stream = Assert.Single(CaptureReader.Read(pcap.ToArray()).Streams);

        Assert.Equal(Stream, stream.Payload);
        Assert.Equal((0, 1), (stream.Index, stream.TcpStream));
    }

    [Fact]
    public void Without_a_port_the_bmp_port_is_detected_and_other_tcp_is_left_out()
    {
        var pcap = new PcapBuilder(101)
            .Add(Tcp(Router, 51000, Collector, 80, 1, "GET / HTTP/1.1\r\n\r\n"u8))
            .Add(Tcp(Collector, 80, Router, 51000, 1, "HTTP/1.1 200 OK\r\n\r\n"u8))
            .Add(Data(100, 0, 60))
            .Add(Tcp("192.0.2.9", 41000, Collector, BmpPort, 7, Stream.AsSpan(10, 30))); // starts mid-message

        var file = CaptureReader.Read(pcap.ToArray());

        Assert.Equal((ushort?)BmpPort, file.BmpPort);
        Assert.Equal(2, file.Streams.Count);
        Assert.Equal((0, 1, "192.0.2.1:40000"), (file.Streams[0].Index, file.Streams[0].TcpStream, file.Streams[0].Source));
        Assert.Equal((1, 2, "192.0.2.9:41000"), (file.Streams[1].Index, file.Streams[1].TcpStream, file.Streams[1].Source));
    }

    [Fact]
    public void A_given_port_selects_streams_whatever_their_first_bytes()
    {
        var pcap = new PcapBuilder(101).Add(Tcp(Router, RouterPort, Collector, 5000, 1, "not bmp"u8)).ToArray();

        Assert.Empty(CaptureReader.Read(pcap).Streams);
        Assert.Equal("not bmp"u8.ToArray(), Assert.Single(CaptureReader.Read(pcap, 5000).Streams).Payload);
    }
}
