using System.Diagnostics;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Pipeline;

/// <summary>
/// The bounded hand-off from the router sessions to the output: a FIFO of batches drained by one
/// dedicated writer thread. Memory is bounded by <c>BMPMOND_MAX_PENDING_MB</c>: past it, sessions
/// stop reading their sockets (TCP flow control then pushes back on the routers) until the writer
/// has brought the queue under half the limit. Nothing is dropped, and since each session queues
/// its batches in order, each router's output stays in order.
/// </summary>
internal sealed class OutputPipeline : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly IDaemonOutput _output;
    private readonly long _maxPendingBytes;
    private readonly ILogger _logger;
    private readonly Queue<OutputBatch> _queue = new();
    private readonly List<Action> _paused = [];
    private readonly object _lock = new();
    private readonly Thread _writer;
    private long _pendingBytes;
    private bool _completing;
    private bool _draining;
    private long _backpressureSince;
    private long _batchesWritten;
    private long _routesWritten;

    public OutputPipeline(IDaemonOutput output, long maxPendingBytes, ILogger logger)
    {
        _output = output;
        _maxPendingBytes = maxPendingBytes;
        _logger = logger;
        _writer = new Thread(WriteLoop) { Name = "bmpmond-writer", IsBackground = true };
    }

    /// <summary>The bound: past it sessions pause.</summary>
    public long MaxPendingBytes => _maxPendingBytes;

    /// <summary>Bytes queued and not yet written.</summary>
    public long PendingBytes => Volatile.Read(ref _pendingBytes);

    /// <summary>Routes written so far.</summary>
    public long RoutesWritten => Volatile.Read(ref _routesWritten);

    /// <summary>True once a write failed (the writer keeps retrying until shutdown).</summary>
    public bool HasFailed { get; private set; }

    public void Start() => _writer.Start();

    /// <summary>Queues a batch; never blocks. Returns false when the session should pause reading.</summary>
    public bool Enqueue(OutputBatch batch)
    {
        lock (_lock)
        {
            _queue.Enqueue(batch);
            _pendingBytes += batch.Capacity;
            Monitor.Pulse(_lock);
            return _pendingBytes < _maxPendingBytes;
        }
    }

    /// <summary>
    /// Called by a session whose <see cref="Enqueue"/> returned false: if the queue is still over
    /// the limit, <paramref name="resume"/> is kept and called (on the thread pool) once it has
    /// drained to half, and true is returned; false means it drained already: read on.
    /// </summary>
    public bool TryPause(Action resume)
    {
        lock (_lock)
        {
            if (_pendingBytes < _maxPendingBytes / 2 || _completing)
            {
                return false;
            }

            if (_paused.Count == 0)
            {
                _backpressureSince = Stopwatch.GetTimestamp();
                Log.BackpressureStarted(_logger, _pendingBytes, _maxPendingBytes);
            }

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
                left.Release();
            }

            ResumePaused();
        }
    }

    private void WriteLoop()
    {
        while (true)
        {
            OutputBatch batch;
            lock (_lock)
            {
                while (_queue.Count == 0 && !_completing)
                {
                    Monitor.Wait(_lock);
                }

                if (!_queue.TryDequeue(out batch!))
                {
                    break;
                }
            }

            Write(batch);
            lock (_lock)
            {
                _pendingBytes -= batch.Capacity;
                if (_paused.Count > 0 && _pendingBytes < _maxPendingBytes / 2)
                {
                    Log.BackpressureEnded(_logger, _pendingBytes, Stopwatch.GetElapsedTime(_backpressureSince).TotalSeconds);
                    ResumePaused();
                }

                if (_queue.Count == 0)
                {
                    FlushOutput();
                    if (_draining)
                    {
                        Monitor.PulseAll(_lock);
                    }
                }
            }

            batch.Release();
        }

        FlushOutput();
    }

    /// <summary>Writes one batch, retrying a failing output (disk full, pipe gone) until it works or shutdown gives up.</summary>
    private void Write(OutputBatch batch)
    {
        while (true)
        {
            try
            {
                _output.Write(batch);
                _batchesWritten++;
                Interlocked.Add(ref _routesWritten, batch.Routes);
                return;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                HasFailed = true;
                Log.OutputFailed(_logger, e, _output.Name);
                lock (_lock)
                {
                    if (_completing)
                    {
                        return;
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

    private void ResumePaused()
    {
        foreach (var resume in _paused)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static r => r(), resume, preferLocal: false);
        }

        _paused.Clear();
    }
}
