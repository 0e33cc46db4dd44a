using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Bmpmond.Logging;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;

namespace Bmpmon.Tests.Pipeline;

/// <summary>
/// The pipeline's read-ahead window against outputs of known speed. Time is a
/// <see cref="ManualClock"/> that only the output's writes move, so the measured drain rate is
/// exact whatever the machine's load; the tests wait on real threads only for hand-offs.
/// </summary>
public sealed class OutputPipelineReadAheadTests : IDisposable
{
    private const int BatchBytes = 64 * 1024;
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _logPath = Path.GetTempFileName();

    public void Dispose() => File.Delete(_logPath);

    [Fact]
    public void The_window_starts_at_the_floor_not_the_ceiling()
    {
        var output = new ScriptedOutput(new ManualClock(), TimeSpan.Zero) { Gated = true };
        using var logs = JsonLogging.CreateFactory(LogLevel.Information, Stream.Null);
        using var pipeline = new OutputPipeline(output, 64 * MiB, logs.CreateLogger("test"), time: output.Clock);
        output.Pipeline = pipeline;
        pipeline.Start();

        Assert.Equal(64 * MiB, pipeline.MaxPendingBytes);
        Assert.Equal(8 * MiB, pipeline.ReadAheadBytes);
        var refusedAt = -1;
        for (var i = 0; i < 300 && refusedAt < 0; i++)
        {
            if (!pipeline.Enqueue(Batch(i)))
            {
                refusedAt = i;
            }
        }

        // The 128th 64 KiB batch fills 8 MiB: that one tells its session to pause.
        Assert.Equal(127, refusedAt);
        output.Open();
        Assert.True(pipeline.Drain(Wait));
    }

    [Fact]
    public void A_fast_output_grows_the_window_up_to_the_ceiling_and_never_past_it()
    {
        // 64 KiB per millisecond: 64 MiB/s, one second of it is twice the 32 MiB ceiling.
        var output = new ScriptedOutput(new ManualClock(), TimeSpan.FromMilliseconds(1)) { Refill = 4000 };
        using var logs = JsonLogging.CreateFactory(LogLevel.Information, Stream.Null);
        using var pipeline = new OutputPipeline(output, 32 * MiB, logs.CreateLogger("test"), time: output.Clock);
        output.Pipeline = pipeline;
        for (var i = 0; i < 4; i++)
        {
            pipeline.Enqueue(Batch(i));
        }

        pipeline.Start();
        Assert.True(pipeline.Drain(Wait));

        Assert.Equal(4004, output.Written.Count);
        Assert.Equal(8 * MiB, output.Windows[0]);
        Assert.True(output.Windows.Max() <= 32 * MiB, $"the window reached {output.Windows.Max()}");
        Assert.Equal(32 * MiB, pipeline.ReadAheadBytes);
    }

    [Fact]
    public void Idle_time_does_not_count_as_slow_draining()
    {
        // 64 KiB per 2 ms: 32,768,000 bytes/s, a window of one second of that under a ceiling far above it.
        var output = new ScriptedOutput(new ManualClock(), TimeSpan.FromMilliseconds(2)) { Refill = 2000 };
        using var logs = JsonLogging.CreateFactory(LogLevel.Information, Stream.Null);
        using var pipeline = new OutputPipeline(output, 1024 * MiB, logs.CreateLogger("test"), time: output.Clock);
        output.Pipeline = pipeline;
        pipeline.Enqueue(Batch(0));
        pipeline.Start();
        Assert.True(pipeline.Drain(Wait));
        Assert.Equal(32_768_000, pipeline.ReadAheadBytes, 1000.0);

        // A minute with nothing to write, then another backlogged second and a half at the same speed.
        output.Clock.Advance(TimeSpan.FromMinutes(1));
        output.Refill = 750;
        pipeline.Enqueue(Batch(1));
        Assert.True(pipeline.Drain(Wait));

        Assert.Equal(2752, output.Written.Count);
        Assert.Equal(32_768_000, pipeline.ReadAheadBytes, 1000.0);
    }

    [Fact]
    public void A_slow_output_keeps_the_queue_at_the_window_with_one_log_pair_per_episode()
    {
        // 64 KiB per 100 ms: 640 KiB/s, far under the floor's 8 MiB/s.
        var output = new ScriptedOutput(new ManualClock(), TimeSpan.FromMilliseconds(100));
        var pauses = new List<int>();
        using (var logStream = new FileStream(_logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
        using (var logs = JsonLogging.CreateFactory(LogLevel.Information, logStream))
        {
            using var pipeline = new OutputPipeline(output, 64 * MiB, logs.CreateLogger("test"), time: output.Clock);
            output.Pipeline = pipeline;
            pipeline.Start();

            // Two bursts of 72 MiB each, more than the ceiling, the second after the writer caught up.
            pauses.Add(output.Produce(0, 1152));
            Assert.True(pipeline.Drain(Wait));
            pauses.Add(output.Produce(1152, 1152));
            Assert.True(pipeline.Drain(Wait));

            Assert.Equal(Enumerable.Range(0, 2304), output.Written);
            Assert.True(output.MostPending <= (8 * MiB) + BatchBytes, $"{output.MostPending} bytes were pending");
            Assert.Equal(8 * MiB, pipeline.ReadAheadBytes);
        }

        // Each burst paused its session once at 8 MiB, then every 4 to 6 MiB of the 72, and logged one episode.
        Assert.All(pauses, p => Assert.InRange(p, 10, 17));
        var lines = File.ReadLines(_logPath).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(["backpressure_started", "backpressure_ended", "backpressure_started", "backpressure_ended"], lines.Select(l => l.GetProperty("event").GetString()));
        Assert.Equal(8 * MiB, lines[0].GetProperty("window_bytes").GetInt64());
        Assert.Equal(64 * MiB, lines[0].GetProperty("limit_bytes").GetInt64());
        foreach (var (ended, count) in new[] { lines[1], lines[3] }.Zip(pauses))
        {
            Assert.Equal(count, ended.GetProperty("pauses").GetInt32());
            Assert.InRange(ended.GetProperty("peak_pending_bytes").GetInt64(), 8 * MiB, (8 * MiB) + BatchBytes);
            Assert.Equal(640.0 * 1024, ended.GetProperty("drain_bytes_per_second").GetDouble());
            Assert.True(ended.GetProperty("seconds").GetDouble() > 60, "the episode did not last the burst");
        }
    }

    private static OutputBatch Batch(int sequence)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BatchBytes);
        BinaryPrimitives.WriteInt32LittleEndian(buffer, sequence);
        return new OutputBatch(buffer, sizeof(int), routes: 1);
    }

    /// <summary>
    /// An output whose every write takes <c>writeTime</c> on the manual clock and records the
    /// batch's sequence number, the window and the pending bytes; optionally it queues the next
    /// batch itself (<see cref="Refill"/>), which keeps the queue backlogged without racing the test.
    /// While <see cref="Produce"/> runs, writer and session take turns, as a slow writer and a fast
    /// router would: the writer writes only while the session is paused, and never below a quarter
    /// of the window (the session has been resumed at half), so a slow thread pool cannot empty the
    /// queue in the middle of a burst and split its episode in two.
    /// </summary>
    private sealed class ScriptedOutput(ManualClock clock, TimeSpan writeTime) : IDaemonOutput
    {
        private readonly ManualResetEventSlim _gate = new(initialState: true);
        private volatile bool _producing;
        private volatile bool _paused;
        private int _next = 1_000_000;

        public ManualClock Clock => clock;

        public OutputPipeline? Pipeline { get; set; }

        public bool Gated
        {
            init
            {
                if (value)
                {
                    _gate.Reset();
                }
            }
        }

        /// <summary>Batches still to queue from inside writes.</summary>
        public int Refill { get; set; }

        public List<int> Written { get; } = [];

        public List<long> Windows { get; } = [];

        public long MostPending { get; private set; }

        public string Name => "scripted";

        public void Open() => _gate.Set();

        /// <summary>
        /// A session's read loop on this thread: queues <paramref name="count"/> batches from
        /// <paramref name="first"/> on, pausing when told and waiting to be resumed. Returns how often it paused.
        /// </summary>
        public int Produce(int first, int count)
        {
            var pauses = 0;
            using var resumed = new ManualResetEventSlim();
            _producing = true;
            for (var i = first; i < first + count; i++)
            {
                if (!Pipeline!.Enqueue(Batch(i)))
                {
                    resumed.Reset();
                    if (Pipeline.TryPause(() =>
                    {
                        _paused = false;
                        resumed.Set();
                    }))
                    {
                        pauses++;
                        _paused = true;
                        Assert.True(resumed.Wait(Wait), "the paused session was never resumed");
                    }
                }
            }

            _producing = false;
            return pauses;
        }

        public ISessionOutput OpenSession(string router) => throw new NotSupportedException();

        public void Write(OutputBatch batch)
        {
            _gate.Wait();
            var pipeline = Pipeline!;

            var spin = new SpinWait();
            while (_producing && (!_paused || pipeline.PendingBytes - batch.Capacity < pipeline.ReadAheadBytes / 4))
            {
                spin.SpinOnce();
            }

            MostPending = Math.Max(MostPending, pipeline.PendingBytes);

            clock.Advance(writeTime);
            if (Refill > 0)
            {
                Refill--;
                pipeline.Enqueue(Batch(_next++));
            }

            Written.Add(BinaryPrimitives.ReadInt32LittleEndian(batch.Bytes));
            Windows.Add(pipeline.ReadAheadBytes);
        }

        public void Flush()
        {
        }

        public void Dispose() => _gate.Dispose();
    }
}
