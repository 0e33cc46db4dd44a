using Bmpmon.Bench;
using Bmpmon.Core.Decoding;
using Bmpmon.Tests.Daemon;
using Bmpmon.Tests.Postgres;
using Bmpmond.Configuration;
using Bmpmond.Daemon;
using Bmpmond.Pipeline;
using Bmpmond.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Storage;

/// <summary>
/// <c>BMPMOND_MAX_PENDING_MB</c> bounds all decoded data the daemon holds with the PostgreSQL
/// output: the double buffer's arrays stay within their quarter, and the pipeline's queue gets the rest.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PendingMemoryBoundTests(SharedPostgres postgres, ITestOutputHelper output)
{
    [Fact]
    public void A_burst_keeps_the_double_buffer_within_its_quarter_of_the_bound_arrays_included()
    {
        var cs = postgres.CreateDatabase();
        var settings = PostgresOutputSettings.From(new BmpmondOptions { MaxPendingBytes = 8L << 20 });
        long routes = 0;
        long mostHeld = 0;
        using (var database = PostgresOutput.Open(cs, NullLogger.Instance, settings))
        {
            Assert.Equal(2L << 20, database.HeldBytesBound);
            Assert.Equal(6L << 20, DaemonHost.PipelineBound(8L << 20, database));

            // Decoded first, so the batches arrive faster than the database commits them: the
            // filling buffer reaches its share of the bound (~9 MB of records in 64 KiB reads).
            var batches = Decode(database, "192.0.2.30:1790", SyntheticTable.Build(30_000, 6_000, seed: 3), chunk: 64 * 1024);
            foreach (var batch in batches)
            {
                database.Write(batch);
                routes += batch.Routes;
                batch.Release();
                mostHeld = Math.Max(mostHeld, database.HeldBytes);
            }

            database.Flush();
            Assert.True(database.Drain(TimeSpan.FromSeconds(120)), "not drained");
            output.WriteLine($"{routes} routes in {batches.Count} batches, {database.Commits} transactions; double buffer at most {mostHeld} bytes of {database.HeldBytesBound}");
            Assert.Equal(routes, database.RoutesCommitted);
            Assert.True(database.Commits > 1, "one transaction: the bound was never reached");
            Assert.InRange(mostHeld, 1, database.HeldBytesBound);
        }

        Assert.Equal(routes, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates"));
    }

    [Fact]
    public void The_daemon_gives_its_pipeline_what_the_output_does_not_hold()
    {
        var cs = postgres.CreateDatabase();
        using (var daemon = new TestDaemon(("BMPMOND_OUTPUT", "postgres"), ("BMPMOND_DATABASE_URL", cs), ("BMPMOND_MAX_PENDING_MB", "64")))
        {
            Assert.Equal(48L << 20, daemon.Host.PipelineMaxPendingBytes);
            Assert.Equal(0, daemon.Stop());
        }

        using var jsonl = new TestDaemon(("BMPMOND_MAX_PENDING_MB", "64"));
        Assert.Equal(64L << 20, jsonl.Host.PipelineMaxPendingBytes);
        Assert.Equal(0, jsonl.Stop());
    }

    private static List<OutputBatch> Decode(PostgresOutput database, string router, byte[] payload, int chunk)
    {
        using var decoder = new BmpStreamDecoder();
        ISessionOutput session = database.OpenSession(router);
        try
        {
            var batches = new List<OutputBatch>();
            for (var offset = 0; offset < payload.Length; offset += chunk)
            {
                decoder.Feed(payload.AsSpan(offset, Math.Min(chunk, payload.Length - offset)), ref session);
                if (session.TakeBatch() is { } batch)
                {
                    batches.Add(batch);
                }
            }

            return batches;
        }
        finally
        {
            session.Close();
        }
    }

    private static long Scalar(string cs, string sql) => StorageTestSupport.Scalar(cs, sql);
}
