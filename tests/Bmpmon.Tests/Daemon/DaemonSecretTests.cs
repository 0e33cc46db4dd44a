using System.Diagnostics;
using Bmpmon.Tests.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// The database password never reaches a log line: not while the daemon runs with the PostgreSQL
/// output at DEBUG (every line it has), nor when the database cannot be reached at start.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DaemonSecretTests(SharedPostgres postgres, ITestOutputHelper output)
{
    // The throwaway server trusts 127.0.0.1, so any password is accepted: the URL is read and used all the same.
    private const string Password = "Pw-7fq2Zx9-never-logged";

    [Fact]
    public async Task The_database_password_is_in_no_log_line_of_a_running_daemon()
    {
        var database = new NpgsqlConnectionStringBuilder(postgres.CreateDatabase()).Database;
        var url = $"postgres://{TestPostgres.Superuser}:{Password}@127.0.0.1:{postgres.Server.Port}/{database}";
        string logs;
        using (var daemon = new TestDaemon(("BMPMOND_OUTPUT", "postgres"), ("BMPMOND_DATABASE_URL", url), ("BMPMOND_LOG_LEVEL", "DEBUG")))
        {
            await daemon.SendAsync(KnownBmpStream.Bytes(KnownBmpStream.All));
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, daemon.Stop());
            logs = File.ReadAllText(daemon.LogPath);

            // The daemon did use the URL: the schema was migrated and the session decoded.
            Assert.NotEmpty(daemon.Logs("schema_migrated"));
            Assert.Equal(KnownBmpStream.All.Length, daemon.Logs("bmp_message").Count);
        }

        Assert.DoesNotContain(Password, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_database_password_is_not_printed_when_the_database_cannot_be_reached()
    {
        var folder = Directory.CreateTempSubdirectory("bmpmond-secret-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "bmpmond.dll"), "run"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
            };
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("BMPMOND_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(name);
            }

            // Nothing listens on this port: the connection is refused.
            start.Environment["BMPMOND_LISTEN"] = $"127.0.0.1:{TestDaemon.FreePort()}";
            start.Environment["BMPMOND_OUTPUT"] = "postgres";
            start.Environment["BMPMOND_DATABASE_URL"] = $"postgres://bmpmon:{Password}@127.0.0.1:{TestDaemon.FreePort()}/bmpmon";
            start.Environment["BMPMOND_LOG_LEVEL"] = "DEBUG";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            var printed = await stdout + await stderr;
            output.WriteLine(printed);

            Assert.Equal(1, process.ExitCode);
            Assert.Contains("BMPMOND_OUTPUT", printed, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, printed, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
