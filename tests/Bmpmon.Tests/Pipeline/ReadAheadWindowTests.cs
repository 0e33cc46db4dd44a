using Bmpmond.Pipeline;

namespace Bmpmon.Tests.Pipeline;

/// <summary>The read-ahead window's arithmetic: one second of the smoothed drain rate, between the floor and the ceiling.</summary>
public class ReadAheadWindowTests
{
    private const long MiB = 1024 * 1024;

    /// <summary>The floor the rate tests were written for (the default is smaller; its own test checks it).</summary>
    private const long Floor = 16 * MiB;

    [Fact]
    public void Starts_at_the_floor_or_at_a_smaller_ceiling()
    {
        Assert.Equal(ReadAheadWindow.DefaultFloorBytes, new ReadAheadWindow(192 * MiB).Bytes);
        Assert.Equal(8 * MiB, ReadAheadWindow.DefaultFloorBytes);
        Assert.Equal(3 * MiB, new ReadAheadWindow(3 * MiB).Bytes);
        Assert.Equal(0, new ReadAheadWindow(192 * MiB).DrainBytesPerSecond);
    }

    [Fact]
    public void A_sample_closes_after_a_second_of_backlogged_time_and_sets_one_second_of_its_rate()
    {
        var window = new ReadAheadWindow(1024 * MiB, floorBytes: Floor);
        window.RecordBacklogged(10 * MiB, 0.6);
        Assert.Equal(16 * MiB, window.Bytes);
        Assert.Equal(0, window.DrainBytesPerSecond);

        // 30 MiB in 1.5 s: 20 MiB/s, a 20 MiB window.
        window.RecordBacklogged(20 * MiB, 0.9);
        Assert.Equal(20.0 * MiB, window.DrainBytesPerSecond, 3);
        Assert.Equal(20 * MiB, window.Bytes);

        // The next sample at 40 MiB/s moves the smoothed rate half way: 30 MiB/s, 30 MiB.
        window.RecordBacklogged(40 * MiB, 1.0);
        Assert.Equal(30.0 * MiB, window.DrainBytesPerSecond, 3);
        Assert.Equal(30 * MiB, window.Bytes);
    }

    [Fact]
    public void Stays_between_the_floor_and_the_ceiling()
    {
        var window = new ReadAheadWindow(64 * MiB, floorBytes: Floor);
        window.RecordBacklogged(1000 * MiB, 1.0);
        window.RecordBacklogged(1000 * MiB, 1.0);
        window.RecordBacklogged(1000 * MiB, 1.0);
        Assert.Equal(64 * MiB, window.Bytes);

        for (var i = 0; i < 20; i++)
        {
            window.RecordBacklogged(1 * MiB, 1.0);
        }

        Assert.Equal(16 * MiB, window.Bytes);
        Assert.True(window.DrainBytesPerSecond < 2 * MiB);
    }

    [Fact]
    public void Read_ahead_and_sample_period_are_parameters()
    {
        var window = new ReadAheadWindow(1024 * MiB, floorBytes: 1 * MiB, readAhead: TimeSpan.FromSeconds(4), samplePeriod: TimeSpan.FromSeconds(0.1));
        Assert.Equal(1 * MiB, window.Bytes);
        var sizes = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            window.RecordBacklogged(1 * MiB, 0.1);
            sizes.Add(window.Bytes / MiB);
        }

        // 10 MiB/s for 4 s is a 40 MiB window, reached by doubling at most per sample.
        Assert.Equal([2, 4, 8, 16, 32, 40, 40, 40], sizes);
    }

    [Fact]
    public void One_sample_at_most_doubles_the_window()
    {
        var window = new ReadAheadWindow(1024 * MiB, floorBytes: Floor);
        window.RecordBacklogged(10_000 * MiB, 1.0);
        Assert.Equal(32 * MiB, window.Bytes);
    }

    [Fact]
    public void A_trickle_of_instant_writes_between_empty_queues_never_opens_the_window()
    {
        // Hours of single updates, each written at copy speed after the one before it: without the
        // reset they would add up to one second of "backlog" at gigabytes per second.
        var window = new ReadAheadWindow(192 * MiB, floorBytes: Floor);
        for (var i = 0; i < 100_000; i++)
        {
            window.RecordBacklogged(64 * 1024, 0.00002);
            window.QueueEmptied();
        }

        Assert.Equal(16 * MiB, window.Bytes);
        Assert.Equal(0, window.DrainBytesPerSecond);
    }

    [Fact]
    public void A_write_through_an_outage_is_no_measure_of_the_rate()
    {
        var window = new ReadAheadWindow(192 * MiB, floorBytes: Floor);
        window.RecordBacklogged(24 * MiB, 1.0);
        Assert.Equal(24 * MiB, window.Bytes);

        // The database was down for a minute: the write that finally went through says nothing of the rate.
        window.RecordBacklogged(64 * 1024, 60);
        window.RecordBacklogged(24 * MiB, 1.0);
        Assert.Equal(24.0 * MiB, window.DrainBytesPerSecond, 3);
        Assert.Equal(24 * MiB, window.Bytes);
    }

    [Fact]
    public void Settings_that_could_stall_the_sessions_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadAheadWindow(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadAheadWindow(64 * MiB, floorBytes: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadAheadWindow(64 * MiB, samplePeriod: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadAheadWindow(64 * MiB, readAhead: TimeSpan.Zero));
    }
}
