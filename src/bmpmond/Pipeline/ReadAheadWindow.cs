namespace Bmpmond.Pipeline;

/// <summary>
/// How far the sessions may read ahead of the output: about <see cref="DefaultReadAhead"/> of what
/// the writer drains, between a floor and the <c>BMPMOND_MAX_PENDING_MB</c> ceiling. During a burst
/// the writer drains at its own rate whatever is queued, so a queue longer than about a second
/// of its work buys no throughput, only memory and latency: measured with the PostgreSQL output,
/// a queue kept at the whole 192 MiB share cost ~120 MB more peak RSS than one of 48 MiB at the
/// same routes/s. Routers lose nothing from a short read-ahead: TCP holds their data meanwhile.
/// </summary>
/// <remarks>
/// The rate is measured by the writer thread from the batches it finds already queued (the queue
/// was backlogged: the writer, not the routers, set the pace), as bytes per wall-clock second over
/// samples of at least <see cref="DefaultSamplePeriod"/> of one continuous backlog, smoothed
/// (exponentially weighted, half per sample). A queue that runs empty drops the sample it was
/// making (<see cref="QueueEmptied"/>): a trickle's writes, which the PostgreSQL output only copies
/// into its buffer, would otherwise add up over hours into one sample of memory speed and open the
/// window to the ceiling before the next burst. One sample at most doubles the window, since a
/// burst's first writes go at copy speed too, and a write that took longer than
/// <see cref="StuckWrite"/> (the output was stuck: the database down) is no measure of its rate and
/// is left out. The window starts at the floor, not the ceiling: before anything is measured, the
/// first burst would otherwise fill the ceiling. Not thread-safe: the pipeline calls it under its lock.
/// </remarks>
internal sealed class ReadAheadWindow
{
    /// <summary>
    /// The window never goes below this (or the ceiling, if that is smaller). 8 MiB measured peak
    /// RSS 99 / 101 MB with one router and 127 / 123 MB with four, against 110 / 116 and 148 / 153 MB
    /// at 16 MiB, with no loss of routes/s (bench/ingest.sh, alternating; README "Latest").
    /// </summary>
    public const long DefaultFloorBytes = 8L * 1024 * 1024;

    /// <summary>How many seconds of the writer's work the queue may hold.</summary>
    public static readonly TimeSpan DefaultReadAhead = TimeSpan.FromSeconds(1);

    /// <summary>The shortest backlogged time one rate sample covers.</summary>
    public static readonly TimeSpan DefaultSamplePeriod = TimeSpan.FromSeconds(1);

    /// <summary>A write that took longer measures an outage, not the output's rate.</summary>
    public static readonly TimeSpan StuckWrite = TimeSpan.FromSeconds(5);

    /// <summary>The weight of a new sample in the smoothed rate.</summary>
    private const double Smoothing = 0.5;

    /// <summary>The most one sample may grow the window by.</summary>
    private const double MaxGrowth = 2.0;

    private readonly double _readAheadSeconds;
    private readonly double _samplePeriodSeconds;
    private long _sampleBytes;
    private double _sampleSeconds;

    public ReadAheadWindow(long ceilingBytes, long floorBytes = DefaultFloorBytes, TimeSpan? readAhead = null, TimeSpan? samplePeriod = null)
    {
        // A window under 2 bytes could never drain to half of itself: paused sessions would wait forever.
        ArgumentOutOfRangeException.ThrowIfLessThan(ceilingBytes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(floorBytes, 2);
        CeilingBytes = ceilingBytes;
        FloorBytes = Math.Min(floorBytes, ceilingBytes);
        _readAheadSeconds = (readAhead ?? DefaultReadAhead).TotalSeconds;
        _samplePeriodSeconds = (samplePeriod ?? DefaultSamplePeriod).TotalSeconds;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_readAheadSeconds, nameof(readAhead));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_samplePeriodSeconds, nameof(samplePeriod));
        Bytes = FloorBytes;
    }

    /// <summary>The hard bound (the pipeline's share of <c>BMPMOND_MAX_PENDING_MB</c>).</summary>
    public long CeilingBytes { get; }

    /// <summary>The smallest window.</summary>
    public long FloorBytes { get; }

    /// <summary>The current window: sessions pause once the queue holds more.</summary>
    public long Bytes { get; private set; }

    /// <summary>The smoothed drain rate in bytes per second; 0 until the first sample.</summary>
    public double DrainBytesPerSecond { get; private set; }

    /// <summary>
    /// Counts one batch the writer found queued: <paramref name="bytes"/> written in
    /// <paramref name="seconds"/> since the writer finished the batch before it.
    /// </summary>
    public void RecordBacklogged(long bytes, double seconds)
    {
        if (seconds > StuckWrite.TotalSeconds)
        {
            QueueEmptied();
            return;
        }

        _sampleBytes += bytes;
        _sampleSeconds += Math.Max(seconds, 0);
        if (_sampleSeconds < _samplePeriodSeconds)
        {
            return;
        }

        var rate = _sampleBytes / _sampleSeconds;
        _sampleBytes = 0;
        _sampleSeconds = 0;
        if (!double.IsFinite(rate))
        {
            return;
        }

        DrainBytesPerSecond = DrainBytesPerSecond == 0 ? rate : DrainBytesPerSecond + (Smoothing * (rate - DrainBytesPerSecond));
        var wanted = Math.Min(DrainBytesPerSecond * _readAheadSeconds, Bytes * MaxGrowth);
        Bytes = (long)Math.Clamp(wanted, FloorBytes, CeilingBytes);
    }

    /// <summary>The writer found the queue empty: the backlog the sample measured is over, and the sample with it.</summary>
    public void QueueEmptied()
    {
        _sampleBytes = 0;
        _sampleSeconds = 0;
    }
}
