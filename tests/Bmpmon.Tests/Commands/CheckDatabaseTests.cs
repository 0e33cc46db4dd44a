using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Bmpmon.Tests.Postgres;
using Bmpmond.Commands;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Commands;

/// <summary>
/// <c>bmpmond check</c> with the PostgreSQL output: the database step against a throwaway server of
/// its own (it is stopped and its authentication changed, so it is not the shared one).
/// </summary>
public sealed class CheckDatabaseTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-checkdb-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Up_and_migrated_passes_then_missing_schema_wrong_password_and_stopped_fail_with_the_reason()
    {
        using var server = TestPostgres.Start(output);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string listen = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        // Up and migrated: ok, with the schema version this binary knows.
        string migrated = server.CreateDatabase("checked");
        using (var dataSource = Bmpmond.Storage.PostgresDatabase.Create(migrated))
        {
            Bmpmond.Storage.SchemaMigrator.Apply(dataSource);
        }

        int latest = Bmpmon.Core.Storage.SchemaMigrations.All.Max(m => m.Version);
        var ok = Check(listen, server.UrlFor("checked"));
        Assert.True(ok.Code == 0, ok.Stderr);
        Assert.Equal($"bmpmond check: ok, BMP port {listen} accepts connections, database answers, schema bmpmon at version {latest.ToString(CultureInfo.InvariantCulture)}\n", ok.Stdout);

        // A database the daemon never migrated.
        server.CreateDatabase("empty");
        AssertFails(Check(listen, server.UrlFor("empty")), "database: schema missing: no bmpmon.schema_migrations");

        // A schema behind this binary (a migration not recorded).
        server.Psql($"DELETE FROM bmpmon.schema_migrations WHERE version = {latest.ToString(CultureInfo.InvariantCulture)}", "checked");
        AssertFails(Check(listen, server.UrlFor("checked")), $"database: schema bmpmon lacks migration {latest.ToString(CultureInfo.InvariantCulture)} of {latest.ToString(CultureInfo.InvariantCulture)}");

        // A database that does not exist.
        AssertFails(Check(listen, server.UrlFor("nosuchdb")), "database: database missing");

        // Password authentication for one role, then the wrong password (never echoed).
        server.Psql("CREATE ROLE checker LOGIN PASSWORD 'right-one'");
        string hba = Path.Combine(server.DataDirectory, "pg_hba.conf");
        File.WriteAllText(hba, "host all checker 127.0.0.1/32 scram-sha-256\n" + File.ReadAllText(hba));
        server.Psql("SELECT pg_reload_conf()");
        string port = server.Port.ToString(CultureInfo.InvariantCulture);
        var wrong = Check(listen, $"postgres://checker:wrong-one@127.0.0.1:{port}/checked");
        AssertFails(wrong, "database: authentication failed (");
        Assert.DoesNotContain("wrong-one", wrong.Stderr, StringComparison.Ordinal);
        var right = Check(listen, $"postgres://checker:right-one@127.0.0.1:{port}/checked");
        AssertFails(right, "database: no permission to read bmpmon.schema_migrations");

        // The server stopped: refused, within the timeout.
        server.Stop();
        var started = DateTime.UtcNow;
        AssertFails(Check(listen, server.UrlFor("checked")), "database: connection refused");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    private static void AssertFails((int Code, string Stdout, string Stderr) result, string reason)
    {
        Assert.Equal(1, result.Code);
        Assert.Equal("", result.Stdout);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"bmpmond check: {reason}", line, StringComparison.Ordinal);
    }

    private (int Code, string Stdout, string Stderr) Check(string listen, string databaseUrl)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BMPMOND_LISTEN"] = listen,
            ["BMPMOND_DATABASE_URL"] = databaseUrl,
        };
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int code = CheckCommand.Run(["--timeout", "3"], environment, _folder, Path.Combine(_folder, "none.env"), stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
