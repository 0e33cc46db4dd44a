using System.Diagnostics;
using Bmpmon.Bench;
using Bmpmon.Core.Decoding;
using Bmpmon.Tests.Daemon;
using Bmpmon.Tests.Postgres;
using Bmpmond.Pipeline;
using Bmpmond.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static Bmpmon.Tests.Decoding.BmpBuilder;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>The PostgreSQL output's database thread against a real PostgreSQL 15: batch sizes, visibility, order, outages.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GroupCommitTests(SharedPostgres postgres, ITestOutputHelper output)
{
    [Fact]
    public void A_burst_makes_big_transactions_even_when_the_pipeline_runs_empty_after_every_batch()
    {
        var cs = postgres.CreateDatabase();
        const int Routers = 4;
        var batches = new List<OutputBatch>();
        long routes = 0;
        using (var database = PostgresOutput.Open(cs, NullLogger.Instance, Settings(wait: TimeSpan.FromMilliseconds(500))))
        {
            // Decoded first, so the batches arrive faster than the database commits them: a burst.
            for (var r = 0; r < Routers; r++)
            {
                var payload = SyntheticTable.Build(12_000, 3_000, seed: r + 1, peerAddress: 0xC0000202u + (uint)r);
                batches.AddRange(Decode(database, $"192.0.2.{10 + r}:1790", payload, chunk: 16 * 1024));
            }

            foreach (var batch in batches)
            {
                database.Write(batch);
                routes += batch.Routes;
                batch.Release();
                database.Flush(); // the worst case: the pipeline's queue runs empty after every batch
            }

            Assert.True(database.Drain(TimeSpan.FromSeconds(120)), "not drained");
            output.WriteLine($"{routes} routes in {batches.Count} batches: {database.Commits} transactions, {routes / Math.Max(1, database.Commits)} routes each");
            Assert.Equal(routes, database.RoutesCommitted);
            Assert.True(database.Commits * 5_000 <= routes + 10_000, $"{database.Commits} transactions for {routes} routes: batches did not grow");
            Assert.True(database.Commits * 10 < batches.Count, $"{database.Commits} transactions for {batches.Count} flushed batches");
        }

        Assert.Equal(routes, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates"));
        Assert.Equal(routes, Scalar(cs, "SELECT count(DISTINCT seq) FROM bmpmon.route_updates"));
    }

    [Fact]
    public async Task A_single_route_is_visible_at_once_when_the_pipeline_is_idle_and_otherwise_after_the_maximum_wait()
    {
        var cs = postgres.CreateDatabase();
        var wait = TimeSpan.FromSeconds(3);
        using var database = PostgresOutput.Open(cs, NullLogger.Instance, Settings(wait));

        // Not flushed (the pipeline never ran empty): the maximum wait starts the commit.
        var started = Stopwatch.GetTimestamp();
        WriteAll(database, Decode(database, "192.0.2.20:1790", SyntheticTable.Build(1, 0, peerAddress: 0xC0000220), chunk: 1 << 20), flush: false);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates"));
        var late = await VisibleAsync(cs, 1, wait + TimeSpan.FromSeconds(10));
        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.True(late, "the route never became visible");
        Assert.InRange(elapsed, wait - TimeSpan.FromMilliseconds(100), wait + TimeSpan.FromSeconds(10));

        // Flushed: the idle database thread commits it at once, well before the maximum wait.
        started = Stopwatch.GetTimestamp();
        WriteAll(database, Decode(database, "192.0.2.21:1790", SyntheticTable.Build(1, 0, peerAddress: 0xC0000221), chunk: 1 << 20), flush: true);
        Assert.True(await VisibleAsync(cs, 2, wait), "a flushed route waited for the maximum wait");
        output.WriteLine($"flushed route visible after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void Peer_Down_after_earlier_routes_holds_across_the_double_buffer()
    {
        var cs = postgres.CreateDatabase();
        const int Routers = 8;
        using (var database = PostgresOutput.Open(cs, NullLogger.Instance, Settings(TimeSpan.FromMilliseconds(50), batchRows: 1_000)))
        {
            var sessions = Enumerable.Range(0, Routers).Select(r => (Decoder: new BmpStreamDecoder(), Session: database.OpenSession($"192.0.2.{40 + r}:1790"))).ToList();
            try
            {
                // Each router's routes, then each router's Peer Down: written while earlier buffers commit.
                foreach (var (decoder, session) in sessions)
                {
                    WriteAll(database, Feed(decoder, session, RoutesOfOnePeer(1_500)), flush: true);
                }

                foreach (var (decoder, session) in sessions)
                {
                    WriteAll(database, Feed(decoder, session, PeerDown(4, [])), flush: true);
                }
            }
            finally
            {
                foreach (var (decoder, session) in sessions)
                {
                    session.Close();
                    decoder.Dispose();
                }
            }

            Assert.True(database.Drain(TimeSpan.FromSeconds(60)), "not drained");
            output.WriteLine($"{database.RoutesCommitted} routes in {database.Commits} transactions");
            Assert.True(database.Commits > 1, "one transaction: the double buffer was not exercised");
        }

        Assert.Equal(Routers * 1_500, Scalar(cs, "SELECT count(*) FROM bmpmon.routes"));
        Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn"));
        Assert.Equal(Routers, Scalar(cs, "SELECT count(*) FROM bmpmon.peer_events WHERE event = 'peer_down'"));
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));
    }

    [Fact]
    public async Task An_outage_past_BMPMOND_DB_OUTAGE_EXIT_closes_the_sessions_and_exits_1()
    {
        using var server = TestPostgres.Start(output);
        var cs = server.CreateDatabase();
        using var daemon = new TestDaemon(("BMPMOND_OUTPUT", "postgres"), ("BMPMOND_DATABASE_URL", cs), ("BMPMOND_DB_OUTAGE_EXIT", "3s"));
        server.Stop();
        using var router = await daemon.OpenAndSendAsync(SyntheticTable.Build(2_000, 0));
        var stopped = await Task.WhenAny(daemon.Host.Stopped, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(stopped == daemon.Host.Stopped, "the daemon did not stop on the outage");
        Assert.Equal(1, await daemon.Host.Stopped);
        var exit = Assert.Single(daemon.Logs("database_outage_exit"));
        output.WriteLine(exit.ToString());
        Assert.True(exit.GetProperty("seconds").GetDouble() >= 3);
        Assert.NotEmpty(daemon.Logs("database_write_failed"));
        Assert.Equal(0, daemon.Host.Routers.Count);
        Assert.Equal(1, daemon.Stop());
    }

    private static PostgresOutputSettings Settings(TimeSpan wait, int batchRows = 10_000) =>
        new(batchRows, wait, 64L << 20, TimeSpan.FromMinutes(5));

    /// <summary>One router's stream decoded as its session would, <paramref name="chunk"/> bytes per socket read.</summary>
    private static List<OutputBatch> Decode(PostgresOutput database, string router, byte[] payload, int chunk)
    {
        using var decoder = new BmpStreamDecoder();
        var session = database.OpenSession(router);
        try
        {
            var batches = new List<OutputBatch>();
            for (var offset = 0; offset < payload.Length; offset += chunk)
            {
                batches.AddRange(Feed(decoder, session, payload.AsSpan(offset, Math.Min(chunk, payload.Length - offset)).ToArray()));
            }

            return batches;
        }
        finally
        {
            session.Close();
        }
    }

    private static List<OutputBatch> Feed(BmpStreamDecoder decoder, ISessionOutput session, byte[] bytes)
    {
        decoder.Feed(bytes, ref session);
        return session.TakeBatch() is { } batch ? [batch] : [];
    }

    private static void WriteAll(PostgresOutput database, List<OutputBatch> batches, bool flush)
    {
        foreach (var batch in batches)
        {
            database.Write(batch);
            batch.Release();
        }

        if (flush)
        {
            database.Flush();
        }
    }

    private static async Task<bool> VisibleAsync(string cs, long rows, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates") >= rows)
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    /// <summary>A Peer Up and <paramref name="routes"/> IPv4 /24s of the default peer, 250 per UPDATE.</summary>
    private static byte[] RoutesOfOnePeer(int routes)
    {
        var stream = new List<byte>(PeerUp(Open(65001), Open(65001)));
        byte[] attrs = [.. Origin(), .. AsPath4(65001), .. NextHop(192, 0, 2, 1)];
        for (var first = 0; first < routes; first += 250)
        {
            var nlri = new List<byte>();
            for (var i = first; i < Math.Min(routes, first + 250); i++)
            {
                nlri.AddRange([24, 10, (byte)(i >> 8), (byte)i]);
            }

            stream.AddRange(RouteMonitoring(Update([], attrs, [.. nlri])));
        }

        return [.. stream];
    }
}
