using System.Diagnostics;
using System.Globalization;
using Bmpmon.Tests.Postgres;
using Xunit.Abstractions;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Packaging;

/// <summary>
/// The packaged backup and restore scripts (packaging/scripts, installed in /usr/lib/bmpmond),
/// run from the repository against a throwaway PostgreSQL: a database the daemon filled from a
/// fixture capture is dumped, restored into a new database, and every bmpmon table compared.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackupRestoreTests(SharedPostgres postgres, ITestOutputHelper output) : IDisposable
{
    private static readonly string Scripts = Path.Combine(FindRoot(), "packaging", "scripts");

    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-backup-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [FixtureFact]
    public async Task Backup_then_restore_into_a_new_database_gives_the_same_rows_in_every_table()
    {
        var root = Fixtures.RequireRoot();

        string source = postgres.CreateDatabase("backup_source");
        using (var daemon = PostgresDaemon(source))
        {
            string capture = Path.Combine(root, "traffic-reproducer", "pcaps__bmp-traffic.pcap");
            foreach (var stream in Bmpmon.Core.Capture.CaptureReader.Read(File.ReadAllBytes(capture)).Streams)
            {
                await daemon.SendAsync(stream.Payload);
            }

            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, daemon.Stop());
        }

        // The settings file as packaged: the Npgsql form, quoted (the backup reads it when the
        // environment has no BMPMOND_DATABASE_URL).
        string env = Path.Combine(_folder, "bmpmond.env");
        File.WriteAllText(env, $"# test\nBMPMOND_DATABASE_URL=\"{postgres.Server.ConnectionStringFor("backup_source")}\"\n");
        string dumps = Directory.CreateDirectory(Path.Combine(_folder, "dumps")).FullName;
        var backup = Run("bmpmond-backup", ["--env-file", env, "--dir", dumps]);
        Assert.True(backup.Code == 0, backup.Stderr);
        string dump = Assert.Single(Directory.GetFiles(dumps));
        Assert.Matches(@"/bmpmond-\d{8}-\d{6}\.dump$", dump);
        Assert.Contains($"wrote {dump} (", backup.Stdout, StringComparison.Ordinal);

        // Into a new database, by URL (its password form is exercised by the unit tests of the URL).
        string target = postgres.CreateDatabase("backup_target");
        var restore = Run("bmpmond-restore", [dump, postgres.Server.UrlFor("backup_target")]);
        Assert.True(restore.Code == 0, restore.Stderr);
        var expected = TableCounts(source);
        Assert.True(expected["route_updates"] > 0 && expected["peer_events"] > 0, string.Join(", ", expected));
        Assert.Equal(expected, TableCounts(target));

        // Over a database that is no longer empty: refused, unless --clean.
        var refused = Run("bmpmond-restore", [dump, postgres.Server.UrlFor("backup_target")]);
        Assert.Equal(1, refused.Code);
        Assert.Contains("the target database is not empty", refused.Stderr, StringComparison.Ordinal);
        var cleaned = Run("bmpmond-restore", ["--clean", dump, postgres.Server.UrlFor("backup_target")]);
        Assert.True(cleaned.Code == 0, cleaned.Stderr);
        Assert.Equal(expected, TableCounts(target));
        output.WriteLine($"{expected.Count} tables, {expected.Values.Sum()} rows restored from {new FileInfo(dump).Length} bytes");
    }

    [Fact]
    public void Retention_deletes_dumps_older_than_30_days_only_after_a_good_dump()
    {
        postgres.CreateDatabase("backup_retention");
        string dumps = Directory.CreateDirectory(Path.Combine(_folder, "dumps")).FullName;
        string old = Touch(dumps, "bmpmond-20200101-000000.dump", days: 31);
        string recent = Touch(dumps, "bmpmond-20200201-000000.dump", days: 29);
        string other = Touch(dumps, "notes-20200101.txt", days: 31);

        // A dump that fails (nothing listens there) deletes nothing.
        var failed = Run("bmpmond-backup", ["--dir", dumps], ("BMPMOND_DATABASE_URL", $"postgres://postgres@127.0.0.1:{Daemon.TestDaemon.FreePort()}/backup_retention"));
        Assert.Equal(1, failed.Code);
        Assert.Contains("no new dump, none deleted", failed.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(old));
        Assert.Equal(3, Directory.GetFiles(dumps).Length);

        // With password authentication: the URL's password must reach pg_dump (and not its command line).
        postgres.Server.Psql("CREATE ROLE dumper LOGIN PASSWORD 'dump-s3cret'");
        string hba = Path.Combine(postgres.Server.DataDirectory, "pg_hba.conf");
        File.WriteAllText(hba, "host all dumper 127.0.0.1/32 scram-sha-256\n" + File.ReadAllText(hba));
        postgres.Server.Psql("SELECT pg_reload_conf()");
        string url = $"postgres://dumper:dump-s3cret@127.0.0.1:{postgres.Server.Port.ToString(CultureInfo.InvariantCulture)}/backup_retention";
        var good = Run("bmpmond-backup", ["--dir", dumps], ("BMPMOND_DATABASE_URL", url));
        Assert.True(good.Code == 0, good.Stderr);
        Assert.Contains("removed 1 dump(s) older than 30 days", good.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(other));
        Assert.Equal(3, Directory.GetFiles(dumps).Length);

        // No database URL anywhere: exit 2 naming it.
        var unset = Run("bmpmond-backup", ["--env-file", Path.Combine(_folder, "none.env"), "--dir", dumps]);
        Assert.Equal(2, unset.Code);
        Assert.Contains("BMPMOND_DATABASE_URL is not set", unset.Stderr, StringComparison.Ordinal);
    }

    private static string Touch(string folder, string name, int days)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, "x");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-days));
        return path;
    }

    /// <summary>Rows per table of the bmpmon schema (partitions too), counted exactly.</summary>
    private static Dictionary<string, long> TableCounts(string connectionString)
    {
        var tables = Query(connectionString, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'bmpmon' AND table_type = 'BASE TABLE' ORDER BY 1")
            .Select(r => (string)r[0]!).ToList();
        Assert.NotEmpty(tables);
        return tables.ToDictionary(t => t, t => Scalar(connectionString, $"SELECT count(*) FROM bmpmon.\"{t}\""));
    }

    private (int Code, string Stdout, string Stderr) Run(string script, string[] args, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(Scripts, script), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment.Remove("BMPMOND_DATABASE_URL");
        info.Environment.Remove("PGPASSWORD");
        info.Environment["PATH"] = $"{postgres.Server.BinDirectory}:{Environment.GetEnvironmentVariable("PATH")}";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), $"{script} did not finish");
        output.WriteLine($"{script} {string.Join(' ', args)}: exit {process.ExitCode.ToString(CultureInfo.InvariantCulture)}\n{stdout}{stderr.Result}");
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bmpmond.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("bmpmond.sln not found");
    }
}
