using System.Diagnostics;
using Bmpmond.Pipeline;

namespace Bmpmond.Storage;

/// <summary>
/// The double buffer between the pipeline's writer thread and the PostgreSQL output's database
/// thread. The pipeline thread appends session batches to the filling buffer; the database thread
/// swaps it with the one it has just committed and commits it, so copying and committing overlap.
/// A commit starts when the filling buffer holds <c>batchRows</c> routes, when it is full, when its
/// oldest row has waited <c>maxWait</c>, or when the pipeline has run empty while the database thread is idle:
/// a single route is committed at once, and under load the rows that arrive during one commit
/// make the next transaction (group commit), so transactions grow with the load.
/// <para>
/// The filling buffer is bounded (<c>4 x batchRows</c> routes, and half of <c>maxBytes</c> as array
/// size, so both buffers together hold at most <c>maxBytes</c> of memory, not just of records):
/// past it <see cref="Append"/> waits, outside the pipeline's lock, so the pipeline's queue fills
/// and backpressure reaches the routers through TCP. <see cref="PipelineIdle"/> runs under the
/// pipeline's lock and never waits: this lock is held only for a swap or one batch's copy.
/// </para>
/// </summary>
internal sealed class GroupCommitQueue
{
    private readonly object _lock = new();
    private readonly int _batchRows;
    private readonly long _maxWaitTicks;
    private readonly long _maxRoutes;
    private RecordBuffer _filling;
    private RecordBuffer _committing;
    private bool _busy;
    private bool _idle;
    private bool _stopping;
    private bool _discarding;
    private bool _full;

    public GroupCommitQueue(int batchRows, TimeSpan maxWait, long maxBytes)
    {
        _batchRows = batchRows;
        _maxWaitTicks = (long)(maxWait.TotalSeconds * Stopwatch.Frequency);
        _maxRoutes = 4L * batchRows;
        var perBuffer = (int)Math.Min(Math.Max(maxBytes, 1 << 20) / 2, Array.MaxLength);
        _filling = new RecordBuffer(perBuffer);
        _committing = new RecordBuffer(perBuffer);
        MaxHeldBytes = 2L * perBuffer;
    }

    /// <summary>The array bytes both buffers may hold (one batch larger than half of it aside).</summary>
    public long MaxHeldBytes { get; }

    /// <summary>The array bytes both buffers hold now (the filling one and the one being committed).</summary>
    public long HeldBytes
    {
        get
        {
            lock (_lock)
            {
                return (long)_filling.Capacity + _committing.Capacity;
            }
        }
    }

    /// <summary>Routes appended and not yet committed (both buffers).</summary>
    public long PendingRoutes
    {
        get
        {
            lock (_lock)
            {
                return _filling.Routes + (_busy ? _committing.Routes : 0);
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="batch"/> into the filling buffer (pipeline thread); waits while that
    /// buffer is over its bound. Returns false when the batch was dropped: the output gave up.
    /// </summary>
    public bool Append(OutputBatch batch)
    {
        lock (_lock)
        {
            while (!_discarding && (_filling.Routes >= _maxRoutes || !_filling.Fits(batch.Length)))
            {
                // The database thread takes a full buffer at once, not after the maximum wait.
                _full = true;
                Monitor.PulseAll(_lock);
                Monitor.Wait(_lock);
            }

            _full = false;

            if (_discarding)
            {
                return false;
            }

            _filling.Append(batch);
            _idle = false;
            if (!_busy)
            {
                Monitor.PulseAll(_lock);
            }

            return true;
        }
    }

    /// <summary>The pipeline's queue ran empty (under the pipeline's lock: never waits).</summary>
    public void PipelineIdle()
    {
        lock (_lock)
        {
            _idle = true;
            if (!_busy && !_filling.IsEmpty)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>
    /// Database thread: waits until a commit is due and returns the buffer to commit (the caller
    /// calls <see cref="Committed"/> after it); null once stopped with nothing left.
    /// </summary>
    public RecordBuffer? Take()
    {
        lock (_lock)
        {
            while (true)
            {
                if (_discarding || (_stopping && _filling.IsEmpty))
                {
                    return null;
                }

                if (!_filling.IsEmpty)
                {
                    var waited = Stopwatch.GetTimestamp() - _filling.FirstAppended;
                    if (_stopping || _idle || _full || _filling.Routes >= _batchRows || waited >= _maxWaitTicks)
                    {
                        (_filling, _committing) = (_committing, _filling);
                        _busy = true;
                        Monitor.PulseAll(_lock);
                        return _committing;
                    }

                    Monitor.Wait(_lock, TimeSpan.FromSeconds((_maxWaitTicks - waited) / (double)Stopwatch.Frequency));
                    continue;
                }

                Monitor.Wait(_lock);
            }
        }
    }

    /// <summary>Database thread: the buffer from <see cref="Take"/> is committed (or given up); it becomes the next filling buffer.</summary>
    public void Committed()
    {
        lock (_lock)
        {
            _committing.Clear();
            _busy = false;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Waits until everything appended is committed, up to <paramref name="timeout"/>; false on timeout.</summary>
    public bool Drain(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_lock)
        {
            _idle = true;
            Monitor.PulseAll(_lock);
            while (!_discarding && (_busy || !_filling.IsEmpty))
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0)
                {
                    return false;
                }

                Monitor.Wait(_lock, TimeSpan.FromSeconds(Math.Min(1.0, left / (double)Stopwatch.Frequency)));
            }

            return !_discarding;
        }
    }

    /// <summary>No more appends are coming: <see cref="Take"/> hands out what is left, then null.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>
    /// Gives up (database thread, or after it ended): what is pending is dropped (returned: the
    /// routes lost), appends are dropped from now on and never wait, <see cref="Take"/> returns null.
    /// </summary>
    public long Discard()
    {
        lock (_lock)
        {
            var lost = _filling.Routes + (_busy ? _committing.Routes : 0);
            _discarding = true;
            _filling.Clear();
            Monitor.PulseAll(_lock);
            return lost;
        }
    }
}
