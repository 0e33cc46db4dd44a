using System.Buffers;
using System.Collections.Concurrent;

namespace Bmpmond.Logging;

/// <summary>
/// Writes finished log lines to the output on one background thread, so a slow or stuck stdout never
/// stalls a network thread and lines from many threads never interleave. The queue is bounded in bytes:
/// past <c>droppableLimitBytes</c> DEBUG lines are dropped, past <c>limitBytes</c> every line is, and
/// the drops are counted and reported in-band (a <c>log_lines_dropped</c> line) once the queue drains.
/// A log call never waits.
/// </summary>
internal sealed class LogLineWriter : IDisposable
{
    /// <summary>DEBUG lines (one per BMP message) are the ones that can flood: 1 MiB of them at most.</summary>
    public const long DefaultDroppableLimitBytes = 1L << 20;

    /// <summary>Other lines are rare; 8 MiB of them only pile up when stdout is stuck.</summary>
    public const long DefaultLimitBytes = 8L << 20;

    /// <summary>Lines are gathered into blocks this size: one write call per block, not per line.</summary>
    private const int BatchBytes = 64 * 1024;

    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentQueue<Line> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Stream _output;
    private readonly byte[] _batch = new byte[BatchBytes];
    private readonly long _droppableLimitBytes;
    private readonly long _limitBytes;
    private readonly Thread _thread;
    private long _pendingBytes;
    private long _droppedDebugLines;
    private long _droppedLines;
    private long _failedLines;
    private long _reportedDrops;
    private int _batchLength;
    private int _batchLines;
    private int _writerWaiting;
    private volatile bool _completing;
    private int _disposed;

    public LogLineWriter(Stream output, long droppableLimitBytes = DefaultDroppableLimitBytes, long limitBytes = DefaultLimitBytes)
    {
        _output = output;
        _droppableLimitBytes = droppableLimitBytes;
        _limitBytes = Math.Max(limitBytes, droppableLimitBytes);
        _thread = new Thread(Run) { IsBackground = true, Name = "bmpmond log writer" };
        _thread.Start();
    }

    /// <summary>DEBUG (and TRACE) lines dropped because the queue was past its DEBUG limit.</summary>
    public long DroppedDebugLines => Interlocked.Read(ref _droppedDebugLines);

    /// <summary>Other lines dropped because the queue was full or the writer was shut down.</summary>
    public long DroppedLines => Interlocked.Read(ref _droppedLines);

    /// <summary>Lines lost because the output stream failed (for example, stdout closed).</summary>
    public long FailedLines => Interlocked.Read(ref _failedLines);

    /// <summary>Bytes queued and not yet written.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>
    /// Queues one line (its bytes, newline included, in a buffer rented from <see cref="ArrayPool{T}.Shared"/>;
    /// ownership passes to the writer either way). Returns false if the line was dropped.
    /// </summary>
    public bool TryEnqueue(byte[] buffer, int length, bool droppable)
    {
        var limit = droppable ? _droppableLimitBytes : _limitBytes;
        var full = false;
        if (!_completing && Interlocked.Add(ref _pendingBytes, length) > limit)
        {
            Interlocked.Add(ref _pendingBytes, -length);
            full = true;
        }

        if (full || _completing)
        {
            Interlocked.Increment(ref droppable ? ref _droppedDebugLines : ref _droppedLines);
            ArrayPool<byte>.Shared.Return(buffer);
            return false;
        }

        _queue.Enqueue(new Line(buffer, length));
        if (Interlocked.Exchange(ref _writerWaiting, 0) == 1)
        {
            _signal.Release();
        }

        return true;
    }

    /// <summary>Writes out everything queued (waiting up to 5 s for the writer thread) and stops.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _completing = true;
        _signal.Release();
        if (!_thread.Join(DisposeTimeout))
        {
            // The output is stuck: leave the background thread to the process exit rather than hang shutdown.
            return;
        }

        _signal.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            Drain();
            if (_completing)
            {
                // Lines queued between the last drain and the flag are still written.
                Drain();
                ReportDrops();
                Flush();
                return;
            }

            // A full fence between announcing the wait and checking the queue: a producer that enqueues
            // after the check sees the flag and wakes us.
            Interlocked.Exchange(ref _writerWaiting, 1);
            if (_queue.IsEmpty && !_completing)
            {
                _signal.Wait();
            }

            Volatile.Write(ref _writerWaiting, 0);
        }
    }

    private void Drain()
    {
        var wrote = false;
        while (_queue.TryDequeue(out var line))
        {
            Write(line.Buffer.AsSpan(0, line.Length));
            Interlocked.Add(ref _pendingBytes, -line.Length);
            ArrayPool<byte>.Shared.Return(line.Buffer);
            wrote = true;
        }

        if (wrote)
        {
            ReportDrops();
            Flush();
        }
    }

    private void Flush()
    {
        WriteBatch();
        try
        {
            _output.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            // A broken stdout must not take the daemon down; lost lines are counted in WriteBatch.
        }
    }

    private void ReportDrops()
    {
        var debug = DroppedDebugLines;
        var other = DroppedLines;
        var total = debug + other;
        if (total == _reportedDrops)
        {
            return;
        }

        _reportedDrops = total;
        Write(LogLineFormatter.FormatDropReport(debug, other));
    }

    private void Write(ReadOnlySpan<byte> line)
    {
        if (_batchLength + line.Length > _batch.Length)
        {
            WriteBatch();
        }

        if (line.Length > _batch.Length)
        {
            WriteOut(line, 1);
            return;
        }

        line.CopyTo(_batch.AsSpan(_batchLength));
        _batchLength += line.Length;
        _batchLines++;
    }

    private void WriteBatch()
    {
        if (_batchLength > 0)
        {
            WriteOut(_batch.AsSpan(0, _batchLength), _batchLines);
            _batchLength = 0;
            _batchLines = 0;
        }
    }

    private void WriteOut(ReadOnlySpan<byte> bytes, int lines)
    {
        try
        {
            _output.Write(bytes);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            Interlocked.Add(ref _failedLines, lines);
        }
    }

    private readonly record struct Line(byte[] Buffer, int Length);
}
