using System.Buffers;
using Bmpmond.Logging;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;

namespace Bmpmon.Tests.Pipeline;

/// <summary>
/// Each router session's share of the pipeline (route_stats' router_queue_bytes, router_queue_batches
/// and routes_processed): counted per batch as it is queued and as the writer takes it, apart from the
/// other sessions' batches.
/// </summary>
public sealed class SessionQueueCountersTests
{
    [Fact]
    public void Queued_batches_count_per_session_until_the_writer_takes_them()
    {
        var output = new GatedOutput();
        using var logs = JsonLogging.CreateFactory(LogLevel.Information, Stream.Null);
        using var pipeline = new OutputPipeline(output, maxPendingBytes: 1 << 24, logs.CreateLogger("test"));
        var a = new SessionQueueCounters();
        var b = new SessionQueueCounters();
        pipeline.Start();

        var a1 = Batch(1000, routes: 10);
        var a2 = Batch(3000, routes: 5);
        var b1 = Batch(2000, routes: 7);
        pipeline.Enqueue(a1, a);
        pipeline.Enqueue(b1, b);
        pipeline.Enqueue(a2, a);

        // The writer holds the first batch: nothing is taken yet.
        Assert.True(output.Started.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal((a1.Capacity + a2.Capacity, 2, 0), (a.Bytes, a.Batches, a.RoutesWritten));
        Assert.Equal((b1.Capacity, 1, 0), (b.Bytes, b.Batches, b.RoutesWritten));
        Assert.Equal(a.Bytes + b.Bytes, pipeline.PendingBytes);

        output.Open();
        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(10)));
        Assert.Equal((0, 0, 15), (a.Bytes, a.Batches, a.RoutesWritten));
        Assert.Equal((0, 0, 7), (b.Bytes, b.Batches, b.RoutesWritten));
    }

    private static OutputBatch Batch(int bytes, long routes) => new(ArrayPool<byte>.Shared.Rent(bytes), bytes, routes);

    private sealed class GatedOutput : IDaemonOutput
    {
        private readonly ManualResetEventSlim _gate = new();

        public ManualResetEventSlim Started { get; } = new();

        public string Name => "gated";

        public void Open() => _gate.Set();

        public ISessionOutput OpenSession(string router) => throw new NotSupportedException();

        public void Write(OutputBatch batch)
        {
            Started.Set();
            _gate.Wait();
        }

        public void Flush()
        {
        }

        public void Dispose()
        {
            _gate.Dispose();
            Started.Dispose();
        }
    }
}
