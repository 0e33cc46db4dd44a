using System.Diagnostics;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Pipeline;

/// <summary>
/// The bounded hand-off from the router sessions to the output: a FIFO of batches drained by one
/// dedicated writer thread. Sessions read ahead of the writer only by the
/// <see cref="ReadAheadWindow"/> (about a second of what the output drains, never more than
/// the ceiling, the pipeline's share of <c>BMPMOND_MAX_PENDING_MB</c>): past it they stop reading
/// their sockets (TCP flow control then pushes back on the routers) until the writer has brought
/// the queue under half the window. A longer queue would not make the writer faster, only hold
/// more memory and older routes. Nothing is dropped, and since each session queues its batches in
/// order, each router's output stays in order.
/// </summary>
/// <remarks>
/// A backpressure episode is logged once: <c>backpressure_started</c> at the first pause,
/// <c>backpressure_ended</c> when the writer has caught up (the queue ran empty), however many
/// times the sessions paused and resumed in between.
/// </remarks>
internal sealed class OutputPipeline : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly IDaemonOutput _output;
    private readonly ReadAheadWindow _window;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Queue<Queued> _queue = new();
    private readonly List<Action> _paused = [];
    private readonly object _lock = new();
    private readonly Thread _writer;
    private long _pendingBytes;
    private bool _completing;
    private bool _draining;
    private long _windowBytes;
    private long _batchesWritten;
    private long _routesWritten;
    private bool _episodeOpen;
    private long _episodeSince;
    private long _episodePeakBytes;
    private int _episodePauses;

    /// <summary>
    /// A pipeline whose sessions may queue up to <paramref name="maxPendingBytes"/> (the ceiling)
    /// and read ahead by a <see cref="ReadAheadWindow"/> under it; <paramref name="time"/> is the
    /// clock the drain rate and the episodes are measured with (tests pass their own).
    /// </summary>
    public OutputPipeline(IDaemonOutput output, long maxPendingBytes, ILogger logger, TimeProvider? time = null)
    {
        _output = output;
        _window = new ReadAheadWindow(maxPendingBytes);
        _windowBytes = _window.Bytes;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        _writer = new Thread(WriteLoop) { Name = "bmpmond-writer", IsBackground = true };
    }

    /// <summary>The ceiling: the window never exceeds it.</summary>
    public long MaxPendingBytes => _window.CeilingBytes;

    /// <summary>The read-ahead window: past it sessions pause (see <see cref="ReadAheadWindow"/>).</summary>
    public long ReadAheadBytes => Volatile.Read(ref _windowBytes);

    /// <summary>Bytes queued and not yet written.</summary>
    public long PendingBytes => Volatile.Read(ref _pendingBytes);

    /// <summary>Routes written so far.</summary>
    public long RoutesWritten => Volatile.Read(ref _routesWritten);

    /// <summary>True once a write failed (the writer keeps retrying until shutdown).</summary>
    public bool HasFailed { get; private set; }

    public void Start() => _writer.Start();

    /// <summary>
    /// Queues a batch; never blocks. Returns false when the session should pause reading.
    /// <paramref name="counters"/>, when given, follow the batch: the session's queue depth and the
    /// routes the output took from it.
    /// </summary>
    public bool Enqueue(OutputBatch batch, SessionQueueCounters? counters = null)
    {
        lock (_lock)
        {
            _queue.Enqueue(new Queued(batch, _time.GetTimestamp(), counters));
            counters?.Queued(batch);
            _pendingBytes += batch.Capacity;
            if (_episodeOpen && _pendingBytes > _episodePeakBytes)
            {
                _episodePeakBytes = _pendingBytes;
            }

            Monitor.Pulse(_lock);
            return _pendingBytes < _windowBytes;
        }
    }

    /// <summary>
    /// Called by a session whose <see cref="Enqueue"/> returned false: if the queue is still over
    /// half the window, <paramref name="resume"/> is kept and called (on the thread pool) once it
    /// has drained under half, and true is returned; false means it drained already: read on.
    /// </summary>
    public bool TryPause(Action resume)
    {
        lock (_lock)
        {
            if (_pendingBytes < _windowBytes / 2 || _completing)
            {
                return false;
            }

            if (!_episodeOpen)
            {
                _episodeOpen = true;
                _episodeSince = _time.GetTimestamp();
                _episodePeakBytes = _pendingBytes;
                _episodePauses = 0;
                Log.BackpressureStarted(_logger, _pendingBytes, _windowBytes, _window.CeilingBytes);
            }

            _episodePauses++;
            _episodePeakBytes = Math.Max(_episodePeakBytes, _pendingBytes);
            _paused.Add(resume);
            return true;
        }
    }

    /// <summary>Waits until every queued batch is written, up to <paramref name="timeout"/>; false on timeout.</summary>
    public bool Drain(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_lock)
        {
            _draining = true;
            Monitor.PulseAll(_lock);
            while (_queue.Count > 0 || _pendingBytes > 0)
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0)
                {
                    return false;
                }

                Monitor.Wait(_lock, TimeSpan.FromSeconds(Math.Min(1.0, left / (double)Stopwatch.Frequency)));
            }

            return true;
        }
    }

    /// <summary>Stops the writer after what is queued (or, if <see cref="Drain"/> timed out, right away) and flushes the output.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _completing = true;
            Monitor.PulseAll(_lock);
        }

        if (_writer.IsAlive)
        {
            _writer.Join(TimeSpan.FromSeconds(5));
        }

        lock (_lock)
        {
            while (_queue.TryDequeue(out var left))
            {
                left.Counters?.Dequeued(left.Batch, written: false);
                left.Batch.Release();
            }

            // A drain that timed out leaves an episode open: its end is this shutdown.
            EndEpisode();
            ResumePaused();
        }
    }

    private void WriteLoop()
    {
        // When the writer finished its last batch. A batch queued by then was waiting for the
        // writer (the queue was backlogged): its write is measured from that moment. A batch that
        // came later is not measured at all, so idle time never counts as slow draining, nor a
        // trickle's writes (which the PostgreSQL output only copies into its buffer) as fast.
        var lastWritten = _time.GetTimestamp();
        while (true)
        {
            Queued queued;
            lock (_lock)
            {
                while (_queue.Count == 0 && !_completing)
                {
                    Monitor.Wait(_lock);
                }

                if (!_queue.TryDequeue(out queued))
                {
                    break;
                }
            }

            var batch = queued.Batch;
            var backlogged = queued.EnqueuedAt <= lastWritten;
            var taken = Write(batch);
            var written = _time.GetTimestamp();
            lock (_lock)
            {
                queued.Counters?.Dequeued(batch, taken);
                if (backlogged)
                {
                    _window.RecordBacklogged(batch.Capacity, _time.GetElapsedTime(lastWritten, written).TotalSeconds);
                    Volatile.Write(ref _windowBytes, _window.Bytes);
                }

                _pendingBytes -= batch.Capacity;
                if (_paused.Count > 0 && _pendingBytes < _windowBytes / 2)
                {
                    ResumePaused();
                }

                if (_queue.Count == 0)
                {
                    _window.QueueEmptied();
                    EndEpisode();
                    FlushOutput();
                    if (_draining)
                    {
                        Monitor.PulseAll(_lock);
                    }
                }
            }

            batch.Release();
            lastWritten = written;
        }

        FlushOutput();
    }

    /// <summary>The writer has caught up (the queue ran empty): the backpressure episode, if one is open, is over.</summary>
    private void EndEpisode()
    {
        if (!_episodeOpen)
        {
            return;
        }

        _episodeOpen = false;
        Log.BackpressureEnded(_logger, _time.GetElapsedTime(_episodeSince).TotalSeconds, _episodePauses, _episodePeakBytes, _windowBytes, Math.Round(_window.DrainBytesPerSecond));
    }

    /// <summary>Writes one batch, retrying a failing output (disk full, pipe gone) until it works or shutdown gives up; false when it gave up.</summary>
    private bool Write(OutputBatch batch)
    {
        while (true)
        {
            try
            {
                _output.Write(batch);
                _batchesWritten++;
                Interlocked.Add(ref _routesWritten, batch.Routes);
                return true;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                HasFailed = true;
                Log.OutputFailed(_logger, e, _output.Name);
                lock (_lock)
                {
                    if (_completing)
                    {
                        return false;
                    }
                }

                Thread.Sleep(RetryDelay);
            }
        }
    }

    private void FlushOutput()
    {
        try
        {
            _output.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            HasFailed = true;
            Log.OutputFailed(_logger, e, _output.Name);
        }
    }

    /// <summary>A queued batch, when it was queued (<see cref="TimeProvider.GetTimestamp"/>) and its session's counters.</summary>
    private readonly record struct Queued(OutputBatch Batch, long EnqueuedAt, SessionQueueCounters? Counters);

    private void ResumePaused()
    {
        foreach (var resume in _paused)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static r => r(), resume, preferLocal: false);
        }

        _paused.Clear();
    }
}
