using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Sessions;

public sealed class BmpFramerTests
{
    private struct Collector : IBmpFrameHandler
    {
        public List<(long Offset, byte[] Bytes)> Messages;

        public readonly void OnMessage(in BmpCommonHeader header, ReadOnlySpan<byte> message, long streamOffset)
        {
            Assert.Equal((int)header.Length, message.Length);
            Messages.Add((streamOffset, message.ToArray()));
        }
    }

    private static byte[] Message(byte version, byte type, int bodyLength, byte fill)
    {
        var m = new byte[6 + bodyLength];
        m[0] = version;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(1), (uint)m.Length);
        m[5] = type;
        m.AsSpan(6).Fill(fill);
        return m;
    }

    private static byte[] Stream(params byte[][] messages) => messages.SelectMany(m => m).ToArray();

    private static List<(long Offset, byte[] Bytes)> FeedInChunks(byte[] stream, Func<int> nextChunk, out BmpFramer framer)
    {
        framer = new BmpFramer();
        var collector = new Collector { Messages = [] };
        for (var i = 0; i < stream.Length;)
        {
            var n = Math.Min(nextChunk(), stream.Length - i);
            Assert.True(framer.Feed(stream.AsSpan(i, n), ref collector));
            i += n;
        }

        return collector.Messages;
    }

    [Fact]
    public void Whole_buffer_yields_every_message_with_its_stream_offset()
    {
        var a = Message(3, 4, 10, 0xAA);
        var b = Message(3, 0, 0, 0);
        var c = Message(4, 1, 300, 0xCC);
        var messages = FeedInChunks(Stream(a, b, c), () => int.MaxValue, out var framer);

        Assert.Equal([a, b, c], messages.Select(m => m.Bytes));
        Assert.Equal([0L, a.Length, a.Length + b.Length], messages.Select(m => m.Offset));
        Assert.True(framer.Complete(out var error));
        Assert.Null(error);
        Assert.Equal(3, framer.MessageCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(17)]
    [InlineData(4096)]
    public void Any_fixed_chunk_size_gives_the_same_messages(int chunk)
    {
        var stream = Stream(Message(3, 4, 10, 1), Message(3, 0, 0, 0), Message(3, 1, 5000, 3), Message(3, 6, 1, 4));
        var whole = FeedInChunks(stream, () => int.MaxValue, out _);
        var chunked = FeedInChunks(stream, () => chunk, out var framer);

        Assert.Equal(whole.Select(m => m.Bytes), chunked.Select(m => m.Bytes));
        Assert.Equal(whole.Select(m => m.Offset), chunked.Select(m => m.Offset));
        Assert.Equal(0, framer.PendingBytes);
    }

    [Fact]
    public void Random_chunk_sizes_give_the_same_messages()
    {
        var random = new Random(7854);
        var stream = Stream(Enumerable.Range(0, 200).Select(i => Message(3, (byte)(i % 7), random.Next(0, 3000), (byte)i)).ToArray());
        var whole = FeedInChunks(stream, () => int.MaxValue, out _);
        for (var round = 0; round < 20; round++)
        {
            var chunked = FeedInChunks(stream, () => random.Next(1, 9000), out _);
            Assert.Equal(whole.Select(m => m.Bytes), chunked.Select(m => m.Bytes));
        }
    }

    [Fact]
    public void Bad_version_loses_framing_at_its_stream_offset_and_stops_the_stream()
    {
        var good = Message(3, 4, 4, 0);
        var bad = Message(2, 4, 4, 0);
        var framer = new BmpFramer();
        var collector = new Collector { Messages = [] };

        Assert.False(framer.Feed(Stream(good, bad, good), ref collector));
        Assert.Single(collector.Messages);
        Assert.Equal(good.Length, framer.Error!.Value.StreamOffset);
        Assert.Equal(DecodeErrorCode.BadVersion, framer.Error.Value.Error.Code);
        Assert.False(framer.Feed(good, ref collector));
        Assert.Single(collector.Messages);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(5u)]
    [InlineData(0xFFFF_FFFFu)]
    public void Impossible_length_loses_framing(uint length)
    {
        var header = new byte[] { 3, 0, 0, 0, 0, 0 };
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), length);
        var framer = new BmpFramer(maxMessageLength: 1 << 20);
        var collector = new Collector { Messages = [] };

        Assert.False(framer.Feed(header, ref collector));
        Assert.Equal(DecodeErrorCode.BadLength, framer.Error!.Value.Error.Code);
        Assert.Equal(1, framer.Error.Value.Error.Offset);
    }

    [Fact]
    public void Bad_header_split_across_chunks_is_detected_once_complete()
    {
        var framer = new BmpFramer();
        var collector = new Collector { Messages = [] };

        Assert.True(framer.Feed(new byte[] { 9, 0, 0 }, ref collector));
        Assert.False(framer.Feed(new byte[] { 0, 10, 4 }, ref collector));
        Assert.Equal(DecodeErrorCode.BadVersion, framer.Error!.Value.Error.Code);
        Assert.Equal(0, framer.Error.Value.StreamOffset);
    }

    [Fact]
    public void End_of_stream_inside_a_message_is_a_truncation_with_the_bytes_held()
    {
        var m = Message(3, 0, 100, 0);
        var framer = new BmpFramer();
        var collector = new Collector { Messages = [] };

        Assert.True(framer.Feed(m.AsSpan(0, 50), ref collector));
        Assert.Empty(collector.Messages);
        Assert.False(framer.Complete(out var error));
        Assert.Equal(DecodeErrorCode.Truncated, error!.Value.Error.Code);
        Assert.Equal(50, error.Value.Error.Offset);
        Assert.Equal(0, error.Value.StreamOffset);
    }

    [Fact]
    public void Message_larger_than_the_pool_buffer_minimum_is_reassembled()
    {
        var big = Message(3, 0, 200_000, 0x5A);
        var messages = FeedInChunks(big, () => 1460, out _);
        Assert.Equal(big, Assert.Single(messages).Bytes);
    }
}
