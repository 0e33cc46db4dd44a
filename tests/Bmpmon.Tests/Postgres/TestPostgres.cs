using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Postgres;

/// <summary>
/// A throwaway real PostgreSQL 15 server for tests: <c>initdb</c> in a fresh temp folder, a free port on
/// 127.0.0.1 only, unix sockets inside the temp folder, trust authentication for the superuser
/// <c>postgres</c>, and durability switched off for speed (fsync, synchronous_commit,
/// full_page_writes: a crash loses nothing a test cares about). When the tests run as root, the
/// folder is owned by and the server runs as the <c>postgres</c> user (PostgreSQL refuses root).
/// <see cref="Dispose"/> stops the server (immediate mode) and deletes the folder; servers still
/// running when the test process exits are stopped too.
/// </summary>
public sealed partial class TestPostgres : IAsyncDisposable, IDisposable
{
    /// <summary>The superuser created by initdb; no password (trust on 127.0.0.1 and the private socket).</summary>
    public const string Superuser = "postgres";

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(90);
    private static readonly List<TestPostgres> Live = [];
    private static int _databaseCounter;

    private readonly ITestOutputHelper? _output;
    private readonly string? _runAs;
    private bool _disposed;

    static TestPostgres()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            TestPostgres[] left;
            lock (Live)
            {
                left = [.. Live];
            }

            foreach (var server in left)
            {
                server.Dispose();
            }
        };
    }

    private TestPostgres(string bin, string folder, int port, string? runAs, ITestOutputHelper? output)
    {
        BinDirectory = bin;
        Folder = folder;
        Port = port;
        _runAs = runAs;
        _output = output;
    }

    /// <summary>The PostgreSQL binaries used (initdb, pg_ctl, psql, postgres).</summary>
    public string BinDirectory { get; }

    /// <summary>The temp folder holding the data directory, the socket and the server log.</summary>
    public string Folder { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    public string LogFile => Path.Combine(Folder, "server.log");

    public int Port { get; }

    /// <summary>Npgsql connection string of the <c>postgres</c> database.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>Npgsql connection string of <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={Superuser};Database={database};Include Error Detail=true;Timeout=15;Command Timeout=120";

    /// <summary>The same database as a <c>postgres://</c> URL (the other form BMPMOND_DATABASE_URL accepts).</summary>
    public string UrlFor(string database) => $"postgres://{Superuser}@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{database}";

    /// <summary>
    /// Creates and starts a server. Fails the test with how to install PostgreSQL 15 when it is missing
    /// (storage tests cannot run without it, in CI or elsewhere).
    /// </summary>
    public static TestPostgres Start(ITestOutputHelper? output = null)
    {
        string bin = FindBinaries();
        string? runAs = Environment.UserName == "root" || IsRoot() ? Superuser : null;
        Exception? last = null;

        // A free port is picked by binding port 0 then releasing it: another process may take it in
        // between, so a failed start retries with a fresh folder and port.
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            string folder = CreateFolder(runAs is not null);
            var server = new TestPostgres(bin, folder, FreePort(), runAs, output);
            try
            {
                server.Initialize();
                server.StartServer();
                lock (Live)
                {
                    Live.Add(server);
                }

                output?.WriteLine($"PostgreSQL started on 127.0.0.1:{server.Port} in {folder}");
                return server;
            }
            catch (InvalidOperationException e)
            {
                last = e;
                output?.WriteLine($"PostgreSQL start attempt {attempt} failed: {e.Message}");
                server.Dispose();
            }
        }

        throw new InvalidOperationException($"PostgreSQL test server did not start: {last?.Message}", last);
    }

    /// <summary>Creates a fresh database (a generated name when null) and returns its connection string.</summary>
    public string CreateDatabase(string? name = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        name ??= $"t{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}_{Interlocked.Increment(ref _databaseCounter).ToString(CultureInfo.InvariantCulture)}";
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"database name '{name}' must match {DatabaseName()}", nameof(name));
        }

        Psql($"CREATE DATABASE \"{name}\"");
        return ConnectionStringFor(name);
    }

    /// <summary>Runs SQL with psql (unaligned, tuples only, stop on the first error) and returns its output.</summary>
    public string Psql(string sql, string database = "postgres")
    {
        var result = PgProcess.Run(Tool("psql"),
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", Superuser, "-d", database, "-f", "-"],
            timeout: ToolTimeout, stdin: sql);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe($"psql on {database}"));
        }

        return result.StdOut.TrimEnd('\n');
    }

    /// <summary>Restarts the server (fast mode: open sessions are terminated), as a database restart in production would.</summary>
    public void Restart()
    {
        PgCtl("restart", "-m", "fast", "-l", LogFile);
        _output?.WriteLine($"PostgreSQL on port {Port} restarted");
    }

    /// <summary>Stops the server for an outage test; <see cref="StartAgain"/> brings it back on the same port and data.</summary>
    public void Stop(bool immediate = false)
    {
        PgCtl("stop", "-m", immediate ? "immediate" : "fast");
        _output?.WriteLine($"PostgreSQL on port {Port} stopped");
    }

    public void StartAgain()
    {
        StartServer();
        _output?.WriteLine($"PostgreSQL on port {Port} started again");
    }

    /// <summary>Whether the postmaster of this server is running (pg_ctl status).</summary>
    public bool IsRunning() =>
        Directory.Exists(DataDirectory) && PgProcess.Run(Tool("pg_ctl"), ["status", "-D", DataDirectory], _runAs, ToolTimeout).ExitCode == 0;

    /// <summary>The server log so far (for test output when something fails).</summary>
    public string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    /// <summary>Stops the server (immediate mode) and deletes its folder.</summary>
    public void Dispose()
    {
        lock (Live)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Live.Remove(this);
        }

        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                PgProcess.Run(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"], _runAs, ToolTimeout);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException e)
            {
                _output?.WriteLine($"could not delete {Folder}: {e.Message}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Initialize()
    {
        Directory.CreateDirectory(DataDirectory);
        if (_runAs is not null)
        {
            var chown = PgProcess.Run("chown", ["-R", $"{_runAs}:{_runAs}", Folder], timeout: ToolTimeout);
            if (chown.ExitCode != 0)
            {
                throw new InvalidOperationException(chown.Describe("chown"));
            }
        }

        var init = PgProcess.Run(Tool("initdb"),
            ["-D", DataDirectory, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            _runAs, ToolTimeout);
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException(init.Describe("initdb"));
        }

        // Appended settings win over initdb's defaults earlier in the file.
        string settings = string.Join('\n',
            "",
            "# bmpmon test server",
            $"port = {Port.ToString(CultureInfo.InvariantCulture)}",
            "listen_addresses = '127.0.0.1'",
            $"unix_socket_directories = '{Folder}'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "shared_buffers = 128MB",
            "max_connections = 100",
            "log_min_messages = warning",
            "");
        File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), settings);
    }

    private void StartServer() => PgCtl("start", "-l", LogFile);

    private void PgCtl(string verb, params string[] extra)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = PgProcess.Run(Tool("pg_ctl"), [verb, "-D", DataDirectory, "-w", "-t", "60", .. extra], _runAs, ToolTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{result.Describe($"pg_ctl {verb}")}\n--- server log ---\n{Tail(ReadLog())}");
        }
    }

    // As root the folder goes under /tmp whatever TMPDIR says, since the postgres user must be able to
    // reach it; a long TMPDIR is avoided too (unix socket paths are limited to 107 bytes).
    private static string CreateFolder(bool forOtherUser)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the PostgreSQL test server runs on Linux only");
        }

        string parent = Path.GetTempPath();
        if (forOtherUser || parent.Length > 60)
        {
            parent = "/tmp";
        }

        string folder = Path.Combine(parent, $"bmpmon-pg-{Guid.NewGuid():N}"[..22]);
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    private string Tool(string name) => Path.Combine(BinDirectory, name);

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private static string FindBinaries()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("BMPMON_PG_BINDIR");
        string[] candidates = string.IsNullOrEmpty(fromEnvironment) ? ["/usr/lib/postgresql/15/bin"] : [fromEnvironment];
        foreach (string candidate in candidates)
        {
            if (File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
            {
                return candidate;
            }
        }

        // Another install (PostgreSQL 15 or newer) found through pg_config.
        try
        {
            var config = PgProcess.Run("pg_config", ["--bindir"], timeout: TimeSpan.FromSeconds(10));
            string bin = config.StdOut.Trim();
            if (config.ExitCode == 0 && File.Exists(Path.Combine(bin, "initdb")))
            {
                var version = PgProcess.Run(Path.Combine(bin, "postgres"), ["--version"], timeout: TimeSpan.FromSeconds(10));
                var match = MajorVersion().Match(version.StdOut);
                if (match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) >= 15)
                {
                    return bin;
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no pg_config on the PATH
        }

        throw new InvalidOperationException(
            "PostgreSQL 15 server binaries not found (looked in /usr/lib/postgresql/15/bin, $BMPMON_PG_BINDIR and `pg_config --bindir`). " +
            "The storage tests start their own throwaway server and cannot run without it. Install it with " +
            "`sudo apt-get install -y --no-install-recommends postgresql-15` (./scripts/test.sh does this itself when run as root).");
    }

    private static bool IsRoot()
    {
        var id = PgProcess.Run("id", ["-u"], timeout: TimeSpan.FromSeconds(10));
        return id.ExitCode == 0 && id.StdOut.Trim() == "0";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();

    [GeneratedRegex(@"\) (\d+)")]
    private static partial Regex MajorVersion();
}
