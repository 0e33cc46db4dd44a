using Bmpmon.Core.Capture;
using static Bmpmon.Tests.Capture.PacketBuilder;

namespace Bmpmon.Tests.Capture;

/// <summary>Truncated and corrupt captures: an error with the file offset, the data before it kept, never an exception.</summary>
public sealed class CaptureRobustnessTests
{
    private const string Router = "192.0.2.1";
    private const string Collector = "192.0.2.2";

    private static readonly byte[] First = Bmp(4, 30);
    private static readonly byte[] Second = Bmp(0, 50);

    private static byte[] FirstPacket => Ethernet(Tcp(Router, 40000, Collector, 1790, 1, First));

    private static byte[] SecondPacket => Ethernet(Tcp(Router, 40000, Collector, 1790, 1 + (uint)First.Length, Second));

    [Fact]
    public void Truncated_last_pcap_record_sets_the_error_and_keeps_earlier_data()
    {
        var whole = new PcapBuilder(1).Add(FirstPacket).Add(SecondPacket).ToArray();
        int secondRecord = 24 + 16 + FirstPacket.Length;

        var file = CaptureReader.Read(whole.AsSpan(0, whole.Length - 5));

        Assert.Equal(secondRecord, file.Error?.FileOffset);
        Assert.Contains("captured bytes", file.Error?.Reason, StringComparison.Ordinal);
        Assert.Equal(First, Assert.Single(file.Streams).Payload);
    }

    [Fact]
    public void Truncated_pcap_record_header_sets_the_error()
    {
        var whole = new PcapBuilder(1).Add(FirstPacket).ToArray();

        var file = CaptureReader.Read([.. whole, 0, 0, 0, 0, 0]);

        Assert.Equal(whole.Length, file.Error?.FileOffset);
        Assert.Contains("record header", file.Error?.Reason, StringComparison.Ordinal);
        Assert.Equal(First, Assert.Single(file.Streams).Payload);
    }

    [Fact]
    public void Pcapng_block_with_a_bad_length_sets_the_error_and_keeps_earlier_data()
    {
        var good = new PcapNgBuilder().Section().Interface(1).Enhanced(0, FirstPacket).ToArray();
        var bad = new PcapNgBuilder().Section().Interface(1).Enhanced(0, FirstPacket).Enhanced(0, SecondPacket).ToArray();
        bad[good.Length + 4] ^= 0x02; // total length no longer a multiple of 4

        var file = CaptureReader.Read(bad);

        Assert.Equal(CaptureFormat.PcapNg, file.Format);
        Assert.Equal(good.Length, file.Error?.FileOffset);
        Assert.Contains("bad total length", file.Error?.Reason, StringComparison.Ordinal);
        Assert.Equal(First, Assert.Single(file.Streams).Payload);
    }

    [Fact]
    public void Pcapng_block_past_the_end_of_file_sets_the_error()
    {
        var whole = new PcapNgBuilder().Section().Interface(1).Enhanced(0, FirstPacket).Enhanced(0, SecondPacket).ToArray();
        int secondBlock = new PcapNgBuilder().Section().Interface(1).Enhanced(0, FirstPacket).ToArray().Length;

        var file = CaptureReader.Read(whole.AsSpan(0, whole.Length - 4));

        Assert.Equal(secondBlock, file.Error?.FileOffset);
        Assert.Equal(First, Assert.Single(file.Streams).Payload);
    }

    [Fact]
    public void Every_truncation_of_hand_made_captures_keeps_a_prefix_of_the_stream()
    {
        byte[][] captures =
        [
            new PcapBuilder(1).Add(FirstPacket).Add(SecondPacket).ToArray(),
            new PcapNgBuilder().Section().Interface(1).Enhanced(0, FirstPacket).Simple(SecondPacket).ToArray(),
        ];
        byte[] whole = [.. First, .. Second];
        foreach (var capture in captures)
        {
            for (int length = 4; length < capture.Length; length++) // shorter than a magic number: raw BMP
            {
                var file = CaptureReader.Read(capture.AsSpan(0, length));
                Assert.NotEqual(CaptureFormat.RawBmp, file.Format);
                foreach (var stream in file.Streams)
                {
                    Assert.True(whole.AsSpan().StartsWith(stream.Payload), $"truncated at {length}");
                }
            }
        }
    }

    [FixtureFact]
    public void Every_truncation_of_a_real_capture_keeps_a_prefix_of_each_stream()
    {
        var root = Fixtures.RequireRoot();

        byte[] capture = File.ReadAllBytes(Path.Combine(root, "netgauze", "pcap-reader__data__bmp.pcapng"));
        var whole = CaptureReader.Read(capture).Streams;
        for (int length = 4; length < capture.Length; length++)
        {
            foreach (var stream in CaptureReader.Read(capture.AsSpan(0, length)).Streams)
            {
                var full = whole.SingleOrDefault(s => s.Source == stream.Source && s.TcpStream == stream.TcpStream);
                Assert.True(full is not null && full.Payload.AsSpan().StartsWith(stream.Payload), $"truncated at {length}");
            }
        }
    }

    [FixtureFact]
    public void Random_corruption_of_real_captures_never_throws()
    {
        var root = Fixtures.RequireRoot();

        var random = new Random(7854);
        foreach (string name in new[] { "netgauze/evpn__evpn.pcap", "netgauze/pcap-reader__data__bmp.pcapng", "traffic-reproducer/pcaps__bmp-traffic.pcap" })
        {
            byte[] original = File.ReadAllBytes(Path.Combine(root, name));
            for (int round = 0; round < 300; round++)
            {
                var corrupt = (byte[])original.Clone();
                for (int flips = random.Next(1, 8); flips > 0; flips--)
                {
                    corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
                }

                _ = CaptureReader.Read(corrupt); // must not throw; the assertion is reaching the end
            }
        }
    }
}
