using System.Diagnostics;
using System.Net;
using Bmpmond.Pipeline;
using Bmpmond.Storage;

namespace Bmpmon.Tests.Storage;

/// <summary>When the PostgreSQL output's double buffer starts a commit, and when it makes the pipeline wait.</summary>
public sealed class GroupCommitQueueTests
{
    private static readonly PostgresRouterState Router = new(IPAddress.Loopback, "127.0.0.1:179");

    [Fact]
    public void A_route_after_the_pipeline_ran_empty_is_taken_at_once()
    {
        var queue = new GroupCommitQueue(10_000, TimeSpan.FromSeconds(30), 1 << 20);
        queue.Append(Batch(routes: 1));
        queue.PipelineIdle();
        var taken = TakeWithin(queue, TimeSpan.FromSeconds(5), out var elapsed);
        Assert.Equal(1, taken.Routes);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"{elapsed}");
    }

    [Fact]
    public void Without_an_idle_pipeline_a_route_waits_for_the_maximum_wait_and_no_longer()
    {
        var queue = new GroupCommitQueue(10_000, TimeSpan.FromMilliseconds(700), 1 << 20);
        queue.Append(Batch(routes: 1));
        var taken = TakeWithin(queue, TimeSpan.FromSeconds(10), out var elapsed);
        Assert.Equal(1, taken.Routes);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(650), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_full_batch_is_taken_without_waiting_and_appends_during_a_commit_make_the_next_one()
    {
        var queue = new GroupCommitQueue(100, TimeSpan.FromSeconds(30), 1 << 20);
        queue.Append(Batch(routes: 100));
        var first = TakeWithin(queue, TimeSpan.FromSeconds(5), out _);
        Assert.Equal(100, first.Routes);

        // While "committing" the first, the pipeline keeps appending and running empty: all of it is one transaction.
        for (var i = 0; i < 50; i++)
        {
            queue.Append(Batch(routes: 1));
            queue.PipelineIdle();
        }

        Assert.Equal(150, queue.PendingRoutes);
        queue.Committed();
        var second = TakeWithin(queue, TimeSpan.FromSeconds(5), out _);
        Assert.Equal(50, second.Routes);
        queue.Committed();
        Assert.Equal(0, queue.PendingRoutes);
    }

    [Fact]
    public async Task Appends_wait_at_the_bound_until_a_commit_frees_the_buffer_and_never_when_discarding()
    {
        var queue = new GroupCommitQueue(100, TimeSpan.FromSeconds(30), 1 << 20);
        queue.Append(Batch(routes: 100));
        _ = TakeWithin(queue, TimeSpan.FromSeconds(5), out _);
        queue.Append(Batch(routes: 400)); // the filling buffer is at its bound (4 x batch rows) now
        var blocked = Task.Run(() => queue.Append(Batch(routes: 1)));
        Assert.False(await Within(blocked, TimeSpan.FromMilliseconds(300)), "append did not wait at the bound");
        queue.Committed();
        _ = TakeWithin(queue, TimeSpan.FromSeconds(5), out _);
        Assert.True(await Within(blocked, TimeSpan.FromSeconds(5)), "append still waits after the swap");
        Assert.True(await blocked);

        queue.Append(Batch(routes: 400));
        var lost = Task.Run(() => queue.Append(Batch(routes: 1)));
        Assert.False(await Within(lost, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(401 + 400, queue.Discard()); // filling (400 + the 1 that waited) + committing
        Assert.True(await Within(lost, TimeSpan.FromSeconds(5)), "append still waits after the output gave up");
        Assert.False(await lost);
        Assert.False(queue.Append(Batch(routes: 1)));
        Assert.Null(queue.Take());
    }

    [Fact]
    public async Task A_filling_buffer_at_its_share_of_the_byte_bound_is_taken_at_once_and_both_arrays_stay_within_the_bound()
    {
        // 2 MiB for both buffers: 1 MiB of array each, three 300 kB batches fit, a fourth does not.
        var queue = new GroupCommitQueue(10_000, TimeSpan.FromSeconds(30), 2 << 20);
        Assert.Equal(2L << 20, queue.MaxHeldBytes);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(queue.Append(Batch(routes: 1, bytes: 300_000)));
        }

        var blocked = Task.Run(() => queue.Append(Batch(routes: 1, bytes: 300_000)));
        Assert.False(await Within(blocked, TimeSpan.FromMilliseconds(300)), "append did not wait at the byte bound");

        // Far from batch rows and the maximum wait, and the pipeline never ran empty: taken because it is full.
        var first = TakeWithin(queue, TimeSpan.FromSeconds(5), out var elapsed);
        Assert.Equal(3, first.Routes);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"{elapsed}");
        Assert.True(await Within(blocked, TimeSpan.FromSeconds(5)), "append still waits after the swap");
        Assert.InRange(queue.HeldBytes, 1, queue.MaxHeldBytes);
        queue.Committed();
        Assert.InRange(queue.HeldBytes, 1, queue.MaxHeldBytes);
    }

    [Fact]
    public void A_batch_larger_than_a_buffers_share_goes_into_an_empty_buffer_whose_array_is_given_back_after_the_commit()
    {
        var queue = new GroupCommitQueue(10_000, TimeSpan.FromSeconds(30), 2 << 20);
        Assert.True(queue.Append(Batch(routes: 1, bytes: 1_500_000)));
        queue.PipelineIdle();
        var taken = TakeWithin(queue, TimeSpan.FromSeconds(5), out _);
        Assert.Equal(1_500_000, taken.Length);
        Assert.True(queue.HeldBytes > queue.MaxHeldBytes / 2);
        queue.Committed();
        Assert.InRange(queue.HeldBytes, 1, queue.MaxHeldBytes);
    }

    [Fact]
    public async Task Drain_waits_for_the_commit_and_stop_hands_out_what_is_left()
    {
        var queue = new GroupCommitQueue(10_000, TimeSpan.FromSeconds(30), 1 << 20);
        queue.Append(Batch(routes: 3));
        Assert.False(queue.Drain(TimeSpan.FromMilliseconds(200)));
        var committer = Task.Run(() =>
        {
            while (queue.Take() is not null)
            {
                queue.Committed();
            }
        });
        Assert.True(queue.Drain(TimeSpan.FromSeconds(5)));
        queue.Append(Batch(routes: 2));
        queue.Stop();
        Assert.True(await Within(committer, TimeSpan.FromSeconds(5)));
        Assert.Equal(0, queue.PendingRoutes);
    }

    private static async Task<bool> Within(Task task, TimeSpan timeout) => await Task.WhenAny(task, Task.Delay(timeout)) == task;

    private static OutputBatch Batch(long routes, int bytes = 16) => new(new byte[bytes], bytes, routes, Router);

    private static RecordBuffer TakeWithin(GroupCommitQueue queue, TimeSpan timeout, out TimeSpan elapsed)
    {
        var started = Stopwatch.GetTimestamp();
        RecordBuffer? taken = null;
        var thread = new Thread(() => taken = queue.Take()) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(timeout), "nothing was taken");
        elapsed = Stopwatch.GetElapsedTime(started);
        return taken!;
    }
}
