using System.Text;
using Bmpmon.Tests.Postgres;
using Bmpmond.Commands;
using Bmpmond.Storage;
using Bmpmond.Storage.Jobs;
using Npgsql;
using Xunit.Abstractions;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Operations;

/// <summary><c>bmpmond status</c> against a real PostgreSQL 15.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StatusCommandTests(SharedPostgres postgres, ITestOutputHelper output)
{
    [Fact]
    public void Jobs_that_never_ran_make_status_fail()
    {
        var cs = postgres.CreateDatabase();
        using (var dataSource = PostgresDatabase.Create(cs))
        {
            SchemaMigrator.Apply(dataSource);
        }

        var (exit, text) = Status(cs);
        output.WriteLine(text);
        Assert.Equal(1, exit);
        Assert.Contains("routers: 0 (0 active)", text, StringComparison.Ordinal);
        foreach (var job in new[] { "partitions", "retention", "reconcile", "stats", "resync" })
        {
            Assert.Contains($"  {job}: NEVER RUN", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Healthy_after_the_jobs_ran_and_failing_once_a_job_is_overdue_or_failed()
    {
        var cs = postgres.CreateDatabase();
        using (var daemon = new JobsDaemon(cs, PeriodicJobTests.Fast))
        {
            await daemon.SendAsync(JobsDaemon.TwoRoutes());
            Assert.True(
                await JobsDaemon.EventuallyAsync(() => Scalar(cs, "SELECT count(*) FROM bmpmon.jobs WHERE ok AND interval_s = 1") == 5 && Scalar(cs, "SELECT count(*) FROM bmpmon.routes") == 2, TimeSpan.FromSeconds(15)),
                "the jobs did not run");

            // Through the CLI, with the database URL from an env file.
            var envFile = Path.Combine(Path.GetTempPath(), $"bmpmond-status-{Guid.NewGuid():N}.env");
            File.WriteAllText(envFile, $"BMPMOND_DATABASE_URL={cs}\n");
            try
            {
                using var stdout = new MemoryStream();
                using var stderr = new StringWriter();
                var exit = Bmpmond.Cli.Run(["status", "--env-file", envFile], stdout, stderr);
                var text = Encoding.UTF8.GetString(stdout.ToArray());
                output.WriteLine(text + stderr);
                Assert.Equal(0, exit);
                Assert.Contains("routers: 1 (", text, StringComparison.Ordinal);
                Assert.Contains("peers: 1 (1 up, 0 down)", text, StringComparison.Ordinal);
                Assert.Contains("routes: 2 live, 0 withdrawn", text, StringComparison.Ordinal);
                Assert.Contains("afi 1 safi 1: 2 live, 0 withdrawn", text, StringComparison.Ordinal);
                Assert.Contains("ingest lag: ", text, StringComparison.Ordinal);
                Assert.Contains("  reconcile: ok  last run ", text, StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(envFile);
            }

            Assert.Equal(0, daemon.Stop());
        }

        // The daemon is gone: its jobs stop; within 2 intervals (2 s) they are overdue.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var (overdue, report) = Status(cs);
        output.WriteLine(report);
        Assert.Equal(1, overdue);
        Assert.Contains("  stats: OVERDUE", report, StringComparison.Ordinal);

        // A recent run that failed fails status too.
        Query(cs, "UPDATE bmpmon.jobs SET last_run = now(), interval_s = 3600, ok = true");
        Assert.Equal(0, Status(cs).Exit);
        Query(cs, "UPDATE bmpmon.jobs SET ok = false, result = 'relation does not exist' WHERE name = 'retention'");
        var (failed, text2) = Status(cs);
        Assert.Equal(1, failed);
        Assert.Contains("  retention: FAILED", text2, StringComparison.Ordinal);
    }

    private static (int Exit, string Text) Status(string cs)
    {
        using var connection = new NpgsqlConnection(cs);
        connection.Open();
        using var writer = new StringWriter();
        var exit = StatusCommand.Report(connection, "bmpmon", JobSchedule.Default, writer);
        return (exit, writer.ToString());
    }
}
