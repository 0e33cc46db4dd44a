using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Postgres;

/// <summary>The throwaway server helper itself: start, connect, databases, restart, stop, nothing left behind.</summary>
public sealed class TestPostgresTests(ITestOutputHelper output)
{
    [Fact]
    public void Starts_on_loopback_with_the_test_settings_and_answers_queries()
    {
        using var pg = TestPostgres.Start(output);

        Assert.True(pg.IsRunning());
        Assert.StartsWith("15.", pg.Psql("SHOW server_version"), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", pg.Psql("SHOW listen_addresses"));
        Assert.Equal("off", pg.Psql("SHOW fsync"));
        Assert.Equal("off", pg.Psql("SHOW synchronous_commit"));
        Assert.Equal("off", pg.Psql("SHOW full_page_writes"));
        Assert.Equal("128MB", pg.Psql("SHOW shared_buffers"));
        Assert.Equal(pg.Folder, pg.Psql("SHOW unix_socket_directories"));
        Assert.Equal("postgres", pg.Psql("SELECT current_user"));
        Assert.Contains($"Port={pg.Port};", pg.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("Host=127.0.0.1;", pg.ConnectionString, StringComparison.Ordinal);
        Assert.True(PortAccepts(pg.Port));
    }

    [Fact]
    public void Creates_separate_databases()
    {
        using var pg = TestPostgres.Start(output);

        string first = pg.CreateDatabase();
        string second = pg.CreateDatabase("bmpmon_second");

        Assert.NotEqual(first, second);
        Assert.Contains("Database=bmpmon_second;", second, StringComparison.Ordinal);
        pg.Psql("CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)", "bmpmon_second");
        Assert.Equal("2", pg.Psql("SELECT count(*) FROM t", "bmpmon_second"));
        Assert.Equal("0", pg.Psql("SELECT count(*) FROM pg_tables WHERE tablename = 't'", DatabaseOf(first)));
        Assert.Throws<ArgumentException>(() => pg.CreateDatabase("bad\"name"));
        Assert.Equal($"postgres://postgres@127.0.0.1:{pg.Port}/bmpmon_second", pg.UrlFor("bmpmon_second"));
    }

    [Fact]
    public void Restart_and_stop_then_start_again_keep_the_data_and_the_port()
    {
        using var pg = TestPostgres.Start(output);
        pg.CreateDatabase("kept");
        pg.Psql("CREATE TABLE t (x int); INSERT INTO t VALUES (42)", "kept");

        pg.Restart();
        Assert.True(pg.IsRunning());
        Assert.Equal("42", pg.Psql("SELECT x FROM t", "kept"));

        pg.Stop();
        Assert.False(pg.IsRunning());
        Assert.False(PortAccepts(pg.Port));
        Assert.Throws<InvalidOperationException>(() => pg.Psql("SELECT 1"));

        pg.StartAgain();
        Assert.True(pg.IsRunning());
        Assert.Equal("42", pg.Psql("SELECT x FROM t", "kept"));
    }

    [Fact]
    public void Dispose_leaves_no_server_process_port_or_folder()
    {
        var pg = TestPostgres.Start(output);
        int pid = int.Parse(File.ReadLines(Path.Combine(pg.DataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ProcessAlive(pid));

        pg.Dispose();

        Assert.False(ProcessAlive(pid), $"postmaster {pid} still running");
        Assert.False(PortAccepts(pg.Port));
        Assert.False(Directory.Exists(pg.Folder));
        Assert.False(pg.IsRunning());
        pg.Dispose(); // twice is harmless
    }

    private static string DatabaseOf(string connectionString) =>
        connectionString.Split(';').Single(p => p.StartsWith("Database=", StringComparison.Ordinal))["Database=".Length..];

    private static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static bool PortAccepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>The shared collection fixture hands out separate databases on one server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedPostgresTests(SharedPostgres shared)
{
    [Fact]
    public void Hands_out_fresh_databases_on_one_server()
    {
        string a = shared.CreateDatabase();
        string b = shared.CreateDatabase();

        Assert.NotEqual(a, b);
        Assert.True(shared.Server.IsRunning());
        Assert.Equal("1", shared.Server.Psql("SELECT 1"));
    }
}
