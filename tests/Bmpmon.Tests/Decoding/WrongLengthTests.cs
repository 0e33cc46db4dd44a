using System.Buffers.Binary;
using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Decoding;

/// <summary>
/// Every length field of real messages set wrong by N, decoded in a stream through the framer and the
/// session decoder, with the error each must report: reason, offset and structure (RFC 7854 s4.1 BMP
/// length, RFC 4271 s4.1/s4.3 BGP, withdrawn and attribute lengths, each path attribute's length,
/// RFC 7854 s4.3/s4.8 TLV and statistics lengths). The expected errors follow from where the field
/// sits and what it claims, worked out here from the message layout, not read back from the decoder.
/// </summary>
public sealed class WrongLengthTests(ITestOutputHelper output)
{
    private const int BgpAt = BmpCommonHeader.Size + PerPeerHeader.Size; // 48: the UPDATE of a v3 Route Monitoring message
    private const int BgpLengthAt = BgpAt + 16;
    private const int WithdrawnLengthAt = BgpAt + 19;

    [FixtureFact]
    public void Bmp_length_short_by_n_reports_the_cut_update_then_loses_the_framing_where_the_short_message_ends()
    {
        var (m, next) = RouteMonitoring(m => m[^1] is not (3 or 4));
        foreach (var n in (int[])[1, 2, 19])
        {
            var damaged = WithBmpLength(m, m.Length - n);
            var (error, framing, _) = Decode([.. damaged, .. next]);

            Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, BgpLengthAt, "BGP message length"), error);
            Assert.Equal(new FramingError(m.Length - n, new DecodeError(DecodeErrorCode.BadVersion, 0, "BMP common header")), framing);
        }
    }

    [FixtureFact]
    public void Bmp_length_long_by_n_takes_bytes_of_the_next_message_then_loses_the_framing_or_waits_at_the_end()
    {
        var (m, next) = RouteMonitoring(_ => true);
        foreach (var n in (int[])[1, 2, 4])
        {
            // Bytes after the UPDATE are kept without error (Cisco IOS XR sends some); the next header
            // then starts inside the next message's length field, whose high byte is no version.
            var (error, framing, _) = Decode([.. WithBmpLength(m, m.Length + n), .. next]);
            Assert.Null(error);
            Assert.Equal(new FramingError(m.Length + n, new DecodeError(DecodeErrorCode.BadVersion, 0, "BMP common header")), framing);

            // As the stream's last message: it never completes.
            (error, framing, var delivered) = Decode(WithBmpLength(m, m.Length + n));
            Assert.Equal(0, delivered);
            Assert.Equal(new FramingError(0, new DecodeError(DecodeErrorCode.Truncated, m.Length, "BMP message at end of stream")), framing);
        }
    }

    [FixtureFact]
    public void Bmp_length_below_the_header_size_loses_the_framing_at_the_length_field()
    {
        var (m, next) = RouteMonitoring(_ => true);
        foreach (var length in (int[])[0, 5])
        {
            var (_, framing, delivered) = Decode([.. WithBmpLength(m, length), .. next]);
            Assert.Equal(0, delivered);
            Assert.Equal(new FramingError(0, new DecodeError(DecodeErrorCode.BadLength, 1, "BMP common header")), framing);
        }
    }

    [FixtureFact]
    public void Bgp_message_length_past_the_bmp_message_or_below_19_is_reported_at_the_bgp_length_field()
    {
        var (m, next) = RouteMonitoring(_ => true);
        var length = BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(BgpLengthAt));
        foreach (var (value, code) in (ReadOnlySpan<(int, DecodeErrorCode)>)[(length + 1, DecodeErrorCode.Truncated), (length + 19, DecodeErrorCode.Truncated), (18, DecodeErrorCode.BadLength), (0, DecodeErrorCode.BadLength)])
        {
            var damaged = With16(m, BgpLengthAt, value);
            var (error, framing, _) = Decode([.. damaged, .. next]);
            Assert.Null(framing);
            Assert.Equal(new DecodeError(code, BgpLengthAt, "BGP message length"), error);
        }
    }

    [FixtureFact]
    public void Withdrawn_and_attribute_lengths_that_run_past_the_update_are_bad_lengths_at_their_field()
    {
        var (m, next) = RouteMonitoring(_ => true);
        var withdrawn = BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(WithdrawnLengthAt));
        var attributesLengthAt = WithdrawnLengthAt + 2 + withdrawn;
        var attributes = BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(attributesLengthAt));
        var nlri = m.Length - (attributesLengthAt + 2 + attributes);

        // Off by just enough to run one byte past the UPDATE.
        var (error, framing, _) = Decode([.. With16(m, WithdrawnLengthAt, m.Length - WithdrawnLengthAt - 2 + 1), .. next]);
        Assert.Null(framing);
        Assert.Equal(new DecodeError(DecodeErrorCode.BadLength, WithdrawnLengthAt, "BGP UPDATE"), error);

        (error, framing, _) = Decode([.. With16(m, attributesLengthAt, attributes + nlri + 1), .. next]);
        Assert.Null(framing);
        Assert.Equal(new DecodeError(DecodeErrorCode.BadLength, attributesLengthAt, "BGP UPDATE"), error);
    }

    [FixtureFact]
    public void Each_path_attribute_length_that_runs_past_the_attributes_is_truncated_at_its_length_field()
    {
        var (m, next) = RouteMonitoring(_ => true);
        var withdrawn = BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(WithdrawnLengthAt));
        var attributesAt = WithdrawnLengthAt + 2 + withdrawn + 2;
        var attributesEnd = attributesAt + BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(attributesAt - 2));
        var checkedAttributes = 0;
        for (var at = attributesAt; at < attributesEnd;)
        {
            var extended = (m[at] & 0x10) != 0;
            var lengthAt = at + 2;
            var valueAt = lengthAt + (extended ? 2 : 1);
            var length = extended ? BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(lengthAt)) : m[lengthAt];

            // The length off by what follows this attribute, plus one: it now ends one byte past the block.
            var wrong = attributesEnd - valueAt + 1;
            if (wrong <= (extended ? ushort.MaxValue : byte.MaxValue))
            {
                var damaged = extended ? With16(m, lengthAt, wrong) : With8(m, lengthAt, wrong);
                var (error, framing, _) = Decode([.. damaged, .. next]);
                Assert.Null(framing);
                Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, lengthAt, "path attribute"), error);
                checkedAttributes++;
            }

            at = valueAt + length;
        }

        output.WriteLine($"{checkedAttributes} attribute length fields set past the block");
        Assert.True(checkedAttributes >= 3);
    }

    [FixtureFact]
    public void Nlri_prefix_length_beyond_the_family_is_a_bad_value_at_the_length_byte()
    {
        // A peer without Add-Path, so the NLRI field has one reading: prefix lengths above 32 are not IPv4.
        var (m, next) = RouteMonitoring(_ => true);
        var withdrawn = BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(WithdrawnLengthAt));
        var attributesLengthAt = WithdrawnLengthAt + 2 + withdrawn;
        var nlriAt = attributesLengthAt + 2 + BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(attributesLengthAt));
        foreach (var n in (int[])[33 - m[nlriAt], 255 - m[nlriAt]])
        {
            var (error, framing, _) = Decode([.. With8(m, nlriAt, m[nlriAt] + n), .. next]);
            Assert.Null(framing);
            Assert.Equal(new DecodeError(DecodeErrorCode.BadValue, nlriAt, "NLRI prefix length"), error);
        }
    }

    [FixtureFact]
    public void Tlv_length_past_the_message_is_truncated_at_the_tlv()
    {
        // Initiation (RFC 7854 s4.3): type (2), length (2), value; the first TLV claims one byte more than the message holds.
        var (initiation, next) = Message(BmpMessageType.Initiation, m => m.Length > 10);
        var (error, framing, _) = Decode([.. With16(initiation, 8, initiation.Length - 10 + 1), .. next]);
        Assert.Null(framing);
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 6, "BMP TLV value"), error);
    }

    [FixtureFact]
    public void Statistics_count_or_counter_length_past_the_message_is_truncated_where_the_counter_should_be()
    {
        // RFC 7854 s4.8: per-peer header, Stats Count (4), then type (2), length (2), value per counter.
        const int countAt = BmpCommonHeader.Size + PerPeerHeader.Size;
        var (stats, next) = Message(BmpMessageType.StatisticsReport, m => BinaryPrimitives.ReadUInt32BigEndian(m.AsSpan(countAt)) > 0);
        var count = BinaryPrimitives.ReadUInt32BigEndian(stats.AsSpan(countAt));

        var more = (byte[])stats.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(more.AsSpan(countAt), count + 1);
        var (error, framing, _) = Decode([.. more, .. next]);
        Assert.Null(framing);
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, stats.Length, "statistics TLV header"), error);

        // The first counter claims every byte after its header and one more.
        const int firstAt = countAt + 4;
        (error, framing, _) = Decode([.. With16(stats, firstAt + 2, stats.Length - firstAt - 4 + 1), .. next]);
        Assert.Null(framing);
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, firstAt + 2, "statistics TLV length"), error);
    }

    /// <summary>A real v3 Route Monitoring message with IPv4 NLRI in the UPDATE and nothing after it, from a peer without Add-Path, and the message after it.</summary>
    private static (byte[] Message, byte[] Next) RouteMonitoring(Func<byte[], bool> also) =>
        Message(BmpMessageType.RouteMonitoring, m =>
        {
            if (m[0] != 3 || (m[7] & 0x80) != 0 || m.Length < BgpAt + 23 || BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(BgpLengthAt)) != m.Length - BgpAt)
            {
                return false;
            }

            var withdrawn = BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(WithdrawnLengthAt));
            var attributesLengthAt = WithdrawnLengthAt + 2 + withdrawn;
            var nlriAt = attributesLengthAt + 2 + BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(attributesLengthAt));
            return withdrawn == 0 && nlriAt < m.Length && m[nlriAt] is > 0 and <= 32 && also(m);
        });

    /// <summary>The first message of the type that decodes cleanly on a fresh session, is not followed by a Peer Up/Down, and matches; and the message after it.</summary>
    private static (byte[] Message, byte[] Next) Message(BmpMessageType type, Func<byte[], bool> match)
    {
        foreach (var stream in FixtureStream.All(Fixtures.RequireRoot()))
        {
            for (var i = 0; i + 1 < stream.Messages.Count; i++)
            {
                var (m, next) = (stream.Messages[i].Message, stream.Messages[i + 1].Message);
                if ((BmpMessageType)m[5] == type && match(m) && next[1] == 0 && Decode([.. m, .. next]) is (null, null, 2))
                {
                    return (m, next);
                }
            }
        }

        throw new InvalidOperationException($"no suitable {type} message in the fixtures");
    }

    /// <summary>Decodes a stream on a new session: the first message's error, how the stream ended, and the messages delivered.</summary>
    private static (DecodeError? Error, FramingError? Framing, int Delivered) Decode(byte[] stream)
    {
        using var sink = new TrialSink();
        sink.Reset(watched: 0, gate: 0);
        var framing = sink.Run(stream);
        return (sink.WatchedError, framing, sink.Delivered.Count);
    }

    private static byte[] WithBmpLength(byte[] m, int length)
    {
        var damaged = (byte[])m.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(damaged.AsSpan(1), (uint)length);
        return damaged;
    }

    private static byte[] With16(byte[] m, int at, int value)
    {
        var damaged = (byte[])m.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(damaged.AsSpan(at), (ushort)value);
        return damaged;
    }

    private static byte[] With8(byte[] m, int at, int value)
    {
        var damaged = (byte[])m.Clone();
        damaged[at] = (byte)value;
        return damaged;
    }
}
