using System.Text;
using Bmpmon.Core.Storage;
using Bmpmon.Tests.Postgres;
using Xunit.Abstractions;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Operations;

/// <summary><c>BMPMOND_DB_SCHEMA</c> through every verb that touches the database, against a real PostgreSQL 15.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DbSchemaTests(SharedPostgres postgres, ITestOutputHelper output)
{
    private const string Schema = "bmp_alt";

    [Fact]
    public async Task Migrate_import_run_and_status_use_the_configured_schema_and_leave_bmpmon_alone()
    {
        var cs = postgres.CreateDatabase();
        var folder = Directory.CreateTempSubdirectory("bmpmond-schema-").FullName;
        try
        {
            var envFile = Path.Combine(folder, "bmpmond.env");
            File.WriteAllText(envFile, $"BMPMOND_DATABASE_URL={cs}\nBMPMOND_DB_SCHEMA={Schema}\n");

            var (exit, stdout, stderr) = Cli("migrate", "--env-file", envFile);
            output.WriteLine(stdout + stderr);
            Assert.Equal(0, exit);
            Assert.Contains($"schema {Schema} is now at version {SchemaMigrations.All[^1].Version}", stdout, StringComparison.Ordinal);
            Assert.Equal(SchemaMigrations.All.Count, Scalar(cs, $"SELECT count(*) FROM {Schema}.schema_migrations"));

            var capture = Path.Combine(folder, "two.bmp");
            File.WriteAllBytes(capture, JobsDaemon.TwoRoutes());
            (exit, stdout, stderr) = Cli("import", "--env-file", envFile, capture);
            output.WriteLine(stdout + stderr);
            Assert.Equal(0, exit);
            Assert.Equal(2, Scalar(cs, $"SELECT count(*) FROM {Schema}.route_updates"));
            Assert.Equal(1, Scalar(cs, $"SELECT count(*) FROM {Schema}.import_ledger"));

            using (var daemon = new JobsDaemon(cs, PeriodicJobTests.Fast, ("BMPMOND_DB_SCHEMA", Schema)))
            {
                await daemon.SendAsync(JobsDaemon.TwoRoutes());
                Assert.True(
                    await JobsDaemon.EventuallyAsync(() => Scalar(cs, $"SELECT count(*) FROM {Schema}.jobs WHERE ok AND interval_s = 1") == 5 && Scalar(cs, $"SELECT count(*) FROM {Schema}.route_updates") == 4, TimeSpan.FromSeconds(15)),
                    "the daemon's rows or jobs did not reach the schema");

                (exit, stdout, stderr) = Cli("status", "--env-file", envFile);
                output.WriteLine(stdout + stderr);
                Assert.Equal(0, exit);
                Assert.Contains("peers: 2 (", stdout, StringComparison.Ordinal);
                Assert.Contains("  partitions: ok  last run ", stdout, StringComparison.Ordinal);
                Assert.Equal(0, daemon.Stop());
            }

            Assert.Equal(0, Scalar(cs, "SELECT count(*) FROM pg_namespace WHERE nspname = 'bmpmon'"));
            Assert.True(Scalar(cs, $"SELECT count(*) FROM pg_tables WHERE schemaname = '{Schema}' AND tablename LIKE 'route_updates_p%'") >= 3);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("status")]
    [InlineData("import")]
    [InlineData("run")]
    [InlineData("check")]
    public void A_bad_schema_name_exits_2_naming_the_variable(string verb)
    {
        var folder = Directory.CreateTempSubdirectory("bmpmond-schema-").FullName;
        try
        {
            var envFile = Path.Combine(folder, "bmpmond.env");
            File.WriteAllText(envFile, "BMPMOND_OUTPUT=postgres\nBMPMOND_DATABASE_URL=postgres://u:p@127.0.0.1:1/db\nBMPMOND_DB_SCHEMA=Bmp-Mon\n");
            string[] args = verb == "import" ? [verb, "--env-file", envFile, envFile] : [verb, "--env-file", envFile];
            var (exit, stdout, stderr) = Cli(args);
            output.WriteLine(stdout + stderr);
            Assert.Equal(2, exit);
            Assert.Contains("BMPMOND_DB_SCHEMA: ", stderr, StringComparison.Ordinal);
            Assert.Contains("is not a schema name", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int Exit, string Stdout, string Stderr) Cli(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = Bmpmond.Cli.Run(args, stdout, stderr);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
