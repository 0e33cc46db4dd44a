namespace Bmpmond.Pipeline;

/// <summary>
/// How far the sessions may read ahead of the output: about <see cref="DefaultReadAhead"/> of what
/// the writer drains, between a floor and the <c>BMPMOND_MAX_PENDING_MB</c> ceiling. During a burst
/// the writer drains at its own rate whatever is queued, so a queue longer than a couple of seconds
/// of its work buys no throughput, only memory and latency: measured with the PostgreSQL output,
/// a queue kept at the whole 192 MiB share cost ~120 MB more peak RSS than one of 48 MiB at the
/// same routes/s. Routers lose nothing from a short read-ahead: TCP holds their data meanwhile.
/// </summary>
/// <remarks>
/// The rate is measured by the writer thread from the batches it finds already queued (the queue
/// was backlogged: the writer, not the routers, set the pace), as bytes per wall-clock second over
/// samples of at least <see cref="DefaultSamplePeriod"/> of such backlogged time, smoothed
/// (exponentially weighted, half per sample). Idle time never enters a sample; while the output is
/// stuck no write completes, so the window stays where it was. The window starts at the floor, not
/// the ceiling: before anything is measured, the first burst would otherwise fill the ceiling.
/// Not thread-safe: the pipeline calls it under its lock.
/// </remarks>
internal sealed class ReadAheadWindow
{
    /// <summary>The window never goes below this (or the ceiling, if that is smaller).</summary>
    public const long DefaultFloorBytes = 16L * 1024 * 1024;

    /// <summary>How many seconds of the writer's work the queue may hold.</summary>
    public static readonly TimeSpan DefaultReadAhead = TimeSpan.FromSeconds(1);

    /// <summary>The shortest backlogged time one rate sample covers.</summary>
    public static readonly TimeSpan DefaultSamplePeriod = TimeSpan.FromSeconds(1);

    /// <summary>The weight of a new sample in the smoothed rate.</summary>
    private const double Smoothing = 0.5;

    private readonly double _readAheadSeconds;
    private readonly double _samplePeriodSeconds;
    private long _sampleBytes;
    private double _sampleSeconds;

    public ReadAheadWindow(long ceilingBytes, long floorBytes = DefaultFloorBytes, TimeSpan? readAhead = null, TimeSpan? samplePeriod = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ceilingBytes);
        CeilingBytes = ceilingBytes;
        FloorBytes = Math.Min(floorBytes, ceilingBytes);
        _readAheadSeconds = (readAhead ?? DefaultReadAhead).TotalSeconds;
        _samplePeriodSeconds = (samplePeriod ?? DefaultSamplePeriod).TotalSeconds;
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
        _sampleBytes += bytes;
        _sampleSeconds += Math.Max(seconds, 0);
        if (_sampleSeconds < _samplePeriodSeconds)
        {
            return;
        }

        var rate = _sampleBytes / _sampleSeconds;
        DrainBytesPerSecond = DrainBytesPerSecond == 0 ? rate : DrainBytesPerSecond + (Smoothing * (rate - DrainBytesPerSecond));
        _sampleBytes = 0;
        _sampleSeconds = 0;
        Bytes = (long)Math.Clamp(DrainBytesPerSecond * _readAheadSeconds, FloorBytes, CeilingBytes);
    }
}
