using Bmpmond.Pipeline;

namespace Bmpmon.Tests.Pipeline;

/// <summary>A session's batch buffer starts at the size the previous batch needed, so a burst of reads encodes without growing and copying each one.</summary>
public sealed class PooledBufferWriterTests
{
    [Theory]
    [InlineData(1, 64 * 1024)]
    [InlineData(64 * 1024, 64 * 1024)]
    [InlineData((64 * 1024) + 1, 128 * 1024)]
    [InlineData(100_000, 128 * 1024)]
    [InlineData(200_000, 256 * 1024)]
    public void The_next_buffer_is_the_pool_size_that_holds_the_last_batch(int written, int next) =>
        Assert.Equal(next, PooledBufferWriter.NextSize(written));

    [Fact]
    public void After_a_batch_that_grew_the_next_one_starts_at_that_size_and_a_small_one_goes_back_to_the_smallest()
    {
        var writer = new PooledBufferWriter();
        Write(writer, 100_000);
        var grown = writer.Take(routes: 1)!;
        Assert.Equal(128 * 1024, grown.Capacity);

        Write(writer, 100);
        var small = writer.Take(routes: 1)!;
        Assert.Equal(128 * 1024, small.Capacity); // rented before anyone knew this read was small

        Write(writer, 100);
        var next = writer.Take(routes: 1)!;
        Assert.Equal(64 * 1024, next.Capacity);
        Assert.Null(writer.Take(routes: 0));

        foreach (var batch in new[] { grown, small, next })
        {
            batch.Release();
        }

        writer.Release();
    }

    private static void Write(PooledBufferWriter writer, int bytes)
    {
        for (var left = bytes; left > 0;)
        {
            var n = Math.Min(left, 1000);
            writer.GetSpan(n)[..n].Fill(0x5A);
            writer.Advance(n);
            left -= n;
        }
    }
}
