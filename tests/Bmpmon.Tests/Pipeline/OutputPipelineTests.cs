using System.Buffers;
using System.Text.Json;
using Bmpmond.Logging;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;

namespace Bmpmon.Tests.Pipeline;

/// <summary>
/// The bounded hand-off to the writer thread: past the memory bound sessions are told to pause,
/// they are resumed once the writer has drained half of it, both moments are logged, nothing is
/// dropped, and batches are written in the order they were queued.
/// </summary>
public sealed class OutputPipelineTests : IDisposable
{
    private readonly string _logPath = Path.GetTempFileName();

    public void Dispose() => File.Delete(_logPath);

    [Fact]
    public void Over_the_bound_sessions_pause_and_are_resumed_after_the_writer_catches_up()
    {
        var output = new GatedOutput();
        using (var logStream = new FileStream(_logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
        using (var logs = JsonLogging.CreateFactory(LogLevel.Information, logStream))
        {
            using var pipeline = new OutputPipeline(output, maxPendingBytes: 1_000_000, logs.CreateLogger("test"));
            pipeline.Start();

            Assert.True(pipeline.Enqueue(Batch(400_000, 1)));
            Assert.False(pipeline.Enqueue(Batch(700_000, 2)));
            using var resumed = new ManualResetEventSlim();
            Assert.True(pipeline.TryPause(resumed.Set));
            Assert.False(resumed.IsSet);

            output.Open();
            Assert.True(resumed.Wait(TimeSpan.FromSeconds(10)), "the paused session was never resumed");
            Assert.True(pipeline.Drain(TimeSpan.FromSeconds(10)));
            Assert.Equal(0, pipeline.PendingBytes);
            Assert.Equal([1, 2], output.Written);
        }

        var events = File.ReadLines(_logPath).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToList();
        Assert.Equal(["backpressure_started", "backpressure_ended"], events);
    }

    [Fact]
    public void Pause_is_refused_once_the_queue_has_drained()
    {
        var output = new GatedOutput();
        output.Open();
        using var logs = JsonLogging.CreateFactory(LogLevel.Information, Stream.Null);
        using var pipeline = new OutputPipeline(output, maxPendingBytes: 1000, logs.CreateLogger("test"));
        pipeline.Start();

        pipeline.Enqueue(Batch(5000, 1));
        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(10)));
        Assert.False(pipeline.TryPause(() => { }));
    }

    [Fact]
    public void Drain_reports_a_timeout_when_the_output_is_stuck()
    {
        var output = new GatedOutput();
        using var logs = JsonLogging.CreateFactory(LogLevel.Information, Stream.Null);
        var pipeline = new OutputPipeline(output, maxPendingBytes: 1 << 20, logs.CreateLogger("test"));
        pipeline.Start();
        pipeline.Enqueue(Batch(100, 1));

        Assert.False(pipeline.Drain(TimeSpan.FromMilliseconds(300)));
        output.Open();
        pipeline.Dispose();
    }

    private static OutputBatch Batch(int bytes, byte marker)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bytes);
        buffer[0] = marker;
        return new OutputBatch(buffer, bytes, routes: 1);
    }

    /// <summary>An output whose writes wait until the test opens the gate; records the batches' first byte.</summary>
    private sealed class GatedOutput : IDaemonOutput
    {
        private readonly ManualResetEventSlim _gate = new();

        public List<byte> Written { get; } = [];

        public string Name => "gated";

        public void Open() => _gate.Set();

        public ISessionOutput OpenSession(string router) => throw new NotSupportedException();

        public void Write(OutputBatch batch)
        {
            _gate.Wait();
            Written.Add(batch.Bytes[0]);
        }

        public void Flush()
        {
        }

        public void Dispose() => _gate.Dispose();
    }
}
