using Bmpmond.Replay;

namespace Bmpmon.Tests.Replay;

/// <summary>The replay tool's parts: the target address, the message index of a stream, the send block.</summary>
public sealed class ReplayUnitTests
{
    [Theory]
    [InlineData("127.0.0.1:11019", "127.0.0.1", 11019)]
    [InlineData("[::1]:179", "::1", 179)]
    [InlineData("[2001:db8::7]:65535", "2001:db8::7", 65535)]
    [InlineData("LOCALHOST:1", "127.0.0.1", 1)]
    public void Target_takes_ip_literals_and_localhost(string text, string firstAddress, int port)
    {
        Assert.True(ReplayTarget.TryParse(text, out var target, out var problem), problem);
        Assert.Equal(firstAddress, target.Addresses[0].ToString());
        Assert.Equal(port, target.Port);
    }

    [Fact]
    public void Localhost_falls_back_to_ipv6_loopback()
    {
        Assert.True(ReplayTarget.TryParse("localhost:11019", out var target, out _));
        Assert.Equal(["127.0.0.1", "::1"], target.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void Stream_index_counts_whole_messages_and_keeps_the_tail_with_the_last()
    {
        var whole = ReplayCommandTests.Messages(5);
        byte[] payload = [.. whole, 3, 0, 0];
        var stream = ReplayStream.Create("s", payload);

        Assert.Equal(5, stream.MessageCount);
        Assert.Equal(3, stream.TailLength);
        Assert.Equal(0, stream.MessageStart(0));
        Assert.Equal(payload.Length, stream.MessageEnd(4));
        Assert.Equal(stream.MessageEnd(0), stream.MessageStart(1));
        Assert.Equal(0, stream.MessagesWithin(0));
        Assert.Equal(1, stream.MessagesWithin(stream.MessageEnd(0)));
        Assert.Equal(0, stream.MessagesWithin(stream.MessageEnd(0) - 1));
        Assert.Equal(5, stream.MessagesWithin(whole.Length));
        Assert.Equal(5, stream.MessagesWithin(payload.Length));
        Assert.Equal(11, stream.MessagesWithin((2L * payload.Length) + stream.MessageEnd(0)));
    }

    [Fact]
    public void Bytes_after_lost_framing_are_all_tail()
    {
        byte[] payload = [.. ReplayCommandTests.Message(10, 4), 9, 9, 9, 9, 9, 9, 9, .. ReplayCommandTests.Message(10, 4)];
        var stream = ReplayStream.Create("s", payload);

        Assert.Equal(1, stream.MessageCount);
        Assert.Equal(payload.Length - 10, stream.TailLength);
        Assert.Equal(payload.Length, stream.MessageEnd(0));
    }

    [Fact]
    public void Garbage_only_stream_has_no_message()
    {
        var stream = ReplayStream.Create("s", [1, 2, 3, 4, 5, 6, 7, 8]);

        Assert.Equal(0, stream.MessageCount);
        Assert.Equal(8, stream.TailLength);
        Assert.Equal(0, stream.MessagesWithin(16));
    }

    [Theory]
    [InlineData(100, 1, 1)]
    [InlineData(100, 5, 5)]
    [InlineData(100, 100_000, SendBlock.ChunkSize / 100)]
    [InlineData(SendBlock.ChunkSize, 10, 1)]
    public void Send_block_holds_whole_copies_up_to_a_chunk(int length, int loop, int copies)
    {
        var payload = new byte[length];
        payload[0] = 3;
        var block = SendBlock.For(ReplayStream.Create("s", payload), loop);

        Assert.Equal(copies, block.Copies);
        Assert.Equal(copies * length, block.Bytes.Length);
        Assert.True(block.Bytes.Length <= SendBlock.ChunkSize);
    }
}
