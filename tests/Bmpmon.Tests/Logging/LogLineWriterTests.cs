using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;

namespace Bmpmon.Tests.Logging;

/// <summary>The background writer: whole lines under contention, DEBUG dropped (not waited on) when full, flush on Dispose.</summary>
public class LogLineWriterTests
{
    [Fact]
    public void Many_threads_logging_at_once_give_whole_lines()
    {
        const int Threads = 8;
        const int PerThread = 2_000;
        var lines = LogCapture.Lines(LogLevel.Debug, logger =>
        {
            var start = new Barrier(Threads);
            var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    Log.RouterDisconnected(logger, $"192.0.2.{t}", i, new string('x', i % 200), i, t, DateTime.UnixEpoch, null, i, i);
                }
            })).ToArray();
            foreach (var worker in workers)
            {
                worker.Start();
            }

            foreach (var worker in workers)
            {
                Assert.True(worker.Join(TimeSpan.FromSeconds(30)));
            }
        });

        Assert.Equal(Threads * PerThread, lines.Length);
        var seen = new HashSet<(long, long)>();
        foreach (var line in lines)
        {
            var root = JsonDocument.Parse(line).RootElement;
            Assert.Equal(root.GetProperty("port").GetInt32() % 200, root.GetProperty("reason").GetString()!.Length);
            Assert.True(seen.Add((root.GetProperty("bytes").GetInt64(), root.GetProperty("messages").GetInt64())));
        }
    }

    [Fact]
    public void A_full_queue_drops_debug_lines_without_blocking_and_reports_the_drops()
    {
        using var output = new GatedStream();
        var writer = new LogLineWriter(output, droppableLimitBytes: 4096, limitBytes: 1 << 20);
        try
        {
            Enqueue(writer, LogLevel.Information, "first");
            Assert.True(output.Entered.Wait(TimeSpan.FromSeconds(10)), "the writer never reached the output");

            // The writer thread is stuck in Write: the queue only grows from here.
            var watch = Stopwatch.StartNew();
            var accepted = 0;
            for (var i = 0; i < 1_000; i++)
            {
                accepted += Enqueue(writer, LogLevel.Debug, "debug " + i) ? 1 : 0;
            }

            Assert.True(Enqueue(writer, LogLevel.Warning, "still accepted"));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"enqueueing took {watch.Elapsed}");
            Assert.InRange(accepted, 1, 100);
            Assert.Equal(1_000 - accepted, writer.DroppedDebugLines);
            Assert.Equal(0, writer.DroppedLines);
        }
        finally
        {
            output.Open();
            writer.Dispose();
        }

        var lines = Encoding.UTF8.GetString(output.Written.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\"still accepted\"", StringComparison.Ordinal));
        var report = JsonDocument.Parse(Assert.Single(lines, l => l.Contains("log_lines_dropped", StringComparison.Ordinal))).RootElement;
        Assert.Equal("WARNING", report.GetProperty("level").GetString());
        Assert.Equal(writer.DroppedDebugLines, report.GetProperty("dropped_debug_lines").GetInt64());
    }

    [Fact]
    public void Past_the_hard_limit_every_level_is_dropped_and_counted()
    {
        using var output = new GatedStream();
        var writer = new LogLineWriter(output, droppableLimitBytes: 1024, limitBytes: 4096);
        try
        {
            Enqueue(writer, LogLevel.Information, "first");
            Assert.True(output.Entered.Wait(TimeSpan.FromSeconds(10)));
            for (var i = 0; i < 500; i++)
            {
                Enqueue(writer, LogLevel.Error, "error " + i);
            }

            Assert.True(writer.DroppedLines > 0);
            Assert.InRange(writer.PendingBytes, 0, 4096);
        }
        finally
        {
            output.Open();
            writer.Dispose();
        }
    }

    [Fact]
    public void Dispose_writes_out_everything_queued()
    {
        var output = new MemoryStream();
        var factory = JsonLogging.CreateFactory(LogLevel.Information, output);
        var logger = factory.CreateLogger("test");
        for (var i = 0; i < 10_000; i++)
        {
            Log.ListenerStarted(logger, "127.0.0.1:" + i);
        }

        factory.Dispose();
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10_000, lines.Length);
        Assert.EndsWith("127.0.0.1:9999\"}", lines[^1], StringComparison.Ordinal);

        // After Dispose, log calls are dropped, not thrown.
        Log.ListenerStarted(logger, "late");
    }

    [Fact]
    public void A_failing_output_loses_lines_but_never_throws()
    {
        var writer = new LogLineWriter(new FailingStream());
        for (var i = 0; i < 10; i++)
        {
            Enqueue(writer, LogLevel.Information, "line " + i);
        }

        writer.Dispose();
        Assert.True(writer.FailedLines > 0);
    }

    [Fact]
    public void A_broken_nested_value_costs_its_fields_not_the_line()
    {
        var line = Assert.Single(LogCapture.Lines(LogLevel.Information,
            l => Log.RouteStats(l, "192.0.2.1", 1, 2, 2, 3, 4, 5.0, 0, 0, 6, 7, new BrokenValue(), null, null, DateTime.UnixEpoch, null, 0, false)));
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal("route_stats", root.GetProperty("event").GetString());
        Assert.True(root.TryGetProperty("log_error", out _));
    }

    private static bool Enqueue(LogLineWriter writer, LogLevel level, string message)
    {
        var buffer = LogLineFormatter.Format(DateTime.UtcNow, level, "test", message, null, null, out var length);
        return writer.TryEnqueue(buffer, length, droppable: level <= LogLevel.Debug);
    }

    private sealed class BrokenValue : IJsonLogValue
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteNumberValue(1);
            writer.WriteNumberValue(2);
        }
    }

    /// <summary>An output whose writes block until <see cref="Open"/>: a stdout nobody reads.</summary>
    private sealed class GatedStream : Stream
    {
        private readonly ManualResetEventSlim _gate = new(false);

        public ManualResetEventSlim Entered { get; } = new(false);

        public MemoryStream Written { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written.Length;

        public override long Position { get => Written.Position; set => throw new NotSupportedException(); }

        public void Open() => _gate.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Entered.Set();
            _gate.Wait(TimeSpan.FromSeconds(30));
            lock (Written)
            {
                Written.Write(buffer, offset, count);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gate.Dispose();
                Entered.Dispose();
                Written.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");

        public override void Flush() => throw new IOException("Broken pipe");

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
