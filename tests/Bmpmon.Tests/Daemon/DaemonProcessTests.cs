using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Bmpmond.Configuration;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// bmpmond as a process, the way systemd runs it: configuration errors exit 2 before the port is
/// bound, SIGTERM shuts down cleanly with exit 0, and NOTIFY_SOCKET gets READY=1 and STOPPING=1.
/// </summary>
public sealed class DaemonProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-process-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// One invalid value per setting of <see cref="SettingsTable.All"/>, and the exact line bmpmond
    /// must print for it: the variable and what is wrong with it (never the value of a secret).
    /// </summary>
    public static readonly TheoryData<string, string, string> InvalidSettings = new()
    {
        { "BMPMOND_LISTEN", "nowhere:11019", "\"nowhere:11019\" is not an address and port (e.g. 0.0.0.0:11019, 192.0.2.1:11019, [::]:11019)" },
        { "BMPMOND_ALLOWED_ROUTERS", "10.0.0.0/33", "\"10.0.0.0/33\" has a prefix length outside 0..32 (e.g. 192.0.2.1, 10.0.0.0/8, 2001:db8::/32)" },
        { "BMPMOND_MAX_SESSIONS", "0", "\"0\" is not an integer from 1 to 1000000" },
        { "BMPMOND_MAX_MESSAGE_BYTES", "4096", "\"4096\" is not an integer from 65587 to 268435456" },
        { "BMPMOND_MAX_PENDING_MB", "65537", "\"65537\" is not an integer from 1 to 65536" },
        { "BMPMOND_OUTPUT", "kafka:topic", "unknown output kind \"kafka\" (expected jsonl:PATH, jsonl:-, postgres or null)" },
        { "BMPMOND_LOG_LEVEL", "CHATTY", "\"CHATTY\" is not a log level (INFO, DEBUG, WARNING or ERROR)" },
        { "BMPMOND_STATS_INTERVAL", "-5", "\"-5\" is not a positive number of seconds (e.g. 10, 30s, 1m)" },
        { "BMPMOND_SENTRY_DSN", "https://sentry.example.net/SECRETPROJECT", "malformed: no public key before the host (expected https://PUBLIC_KEY@HOST/PROJECT_ID)" },
        { "BMPMOND_SENTRY_ENVIRONMENT", "prod/eu", "\"prod/eu\" is not a Sentry environment name (1 to 64 characters, no slash or white space)" },
        { "BMPMOND_SENTRY_TRACES_SAMPLE_RATE", "1.5", "\"1.5\" is not a number from 0 to 1 (e.g. 0, 0.1, 1)" },
        { "BMPMOND_SHUTDOWN_DRAIN_SECONDS", "56", "\"56\" is not an integer from 1 to 55" },
        { "BMPMOND_DATABASE_URL", "mysql://SECRETUSER:SECRETPASSWORD/db", "not a postgres:// URL or an Npgsql connection string" },
        { "BMPMOND_DB_SCHEMA", "Bad-Schema", "\"Bad-Schema\" is not a schema name (a-z, 0-9 and _, starting with a letter or _, at most 63 characters)" },
        { "BMPMOND_DATABASE_BATCH_ROWS", "99", "\"99\" is not an integer from 100 to 1000000" },
        { "BMPMOND_DATABASE_BATCH_WAIT_MS", "60001", "\"60001\" is not an integer from 1 to 60000" },
        { "BMPMOND_DB_OUTAGE_EXIT", "0", "\"0\" is not a positive number of seconds (e.g. 10, 30s, 1m)" },
        { "BMPMOND_RESYNC_TIMEOUT", "2d", "\"2d\" is not a positive number of seconds (e.g. 10, 30s, 1m)" },
    };

    [Fact]
    public void Every_setting_of_the_table_has_an_invalid_value_case()
    {
        var covered = InvalidSettings.Select(c => (string)c[0]).ToList();
        Assert.Equal(SettingsTable.All.Select(s => s.Name).Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Every invalid setting, each in its own bmpmond process, all at once: exit 2, exactly one
    /// stderr line naming the variable and saying what is wrong, no secret in it, nothing on stdout
    /// (not even the listener_started log line). The port is bound by this test all along: a bmpmond
    /// that tried to bind before checking its settings would fail with 1 ("cannot listen"), not 2.
    /// </summary>
    [Fact]
    public async Task Each_invalid_setting_exits_2_with_its_own_message_before_binding_the_port()
    {
        using var held = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        held.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        held.Listen();
        var listen = $"127.0.0.1:{((IPEndPoint)held.LocalEndPoint!).Port}";

        var cases = InvalidSettings.Select(c => ((string)c[0], (string)c[1], (string)c[2]))
            .Append(("BMPMOND_LISTN", listen, "not a bmpmond setting (did you mean BMPMOND_LISTEN?)"))
            .Append(("BMPMOND_DATABASE_URL", "", "is empty (unset it or give a value)"))
            .ToList();
        var running = cases.Select(c =>
        {
            var environment = new Dictionary<string, string> { ["BMPMOND_LISTEN"] = listen, ["BMPMOND_OUTPUT"] = "null" };
            environment[c.Item1] = c.Item2;
            return (Case: c, Process: Start(environment));
        }).ToList();

        var failures = new List<string>();
        foreach (var ((name, value, message), process) in running)
        {
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    failures.Add($"{name}={value}: still running after 60 s");
                    continue;
                }

                var (err, outText) = (await stderr, await stdout);
                var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var expected = $"bmpmond: {name}: {message}";
                if (process.ExitCode != 2 || lines.Length != 1 || lines[0] != expected || outText.Length != 0)
                {
                    failures.Add($"{name}={value}: exit {process.ExitCode}, stderr [{string.Join(" | ", lines)}], stdout [{outText.Trim()}]; expected exit 2 and [{expected}]");
                }

                if (name is "BMPMOND_SENTRY_DSN" or "BMPMOND_DATABASE_URL" && err.Contains("SECRET", StringComparison.Ordinal))
                {
                    failures.Add($"{name}: the secret value is in the error line");
                }
            }
        }

        output.WriteLine($"{running.Count} invalid settings checked, one process each");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The control for the test above: with valid settings, the held port does make bmpmond fail, with 1.</summary>
    [Fact]
    public async Task A_port_already_bound_exits_1_naming_the_listen_setting()
    {
        using var held = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        held.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        held.Listen();
        var listen = $"127.0.0.1:{((IPEndPoint)held.LocalEndPoint!).Port}";

        using var process = Start(new() { ["BMPMOND_LISTEN"] = listen, ["BMPMOND_OUTPUT"] = "null" });
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"bmpmond: cannot listen on BMPMOND_LISTEN={listen}: ", line);
    }

    [Fact]
    public void Sigterm_shuts_down_cleanly_and_systemd_is_told_ready_then_stopping()
    {
        var notifyPath = Path.Combine(_folder, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var port = TestDaemon.FreePort();
        var outputPath = Path.Combine(_folder, "routes.jsonl");

        using var process = Start(new()
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = $"jsonl:{outputPath}",
            ["NOTIFY_SOCKET"] = notifyPath,
        });
        string ready;
        try
        {
            ready = Receive(notify);
        }
        catch (SocketException)
        {
            process.Kill();
            process.WaitForExit();
            Assert.Fail($"no READY=1 from bmpmond; stderr: {process.StandardError.ReadToEnd()}");
            throw;
        }

        Assert.Equal("READY=1", ready.Split('\n')[0]);

        var lines = new List<string>();
        using var connected = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                if (line.Contains("\"router_connected\"", StringComparison.Ordinal))
                {
                    connected.Set();
                }
            }
        };
        process.BeginOutputReadLine();
        using (var router = new TcpClient())
        {
            router.Connect(IPAddress.Loopback, port);
            router.GetStream().Write([3, 0, 0, 0, 6, 4]);
            Assert.True(connected.Wait(TimeSpan.FromSeconds(20)), "no router_connected line");
        }

        Assert.Equal(0, Syscall.Kill(process.Id, Syscall.Sigterm));
        Assert.Equal("STOPPING=1", Receive(notify));
        Assert.True(process.WaitForExit(30_000), "bmpmond did not exit within 30 s of SIGTERM");
        process.WaitForExit();

        Assert.Equal(0, process.ExitCode);
        List<string?> events;
        lock (lines)
        {
            events = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToList();
        }

        output.WriteLine(string.Join(", ", events));
        Assert.Contains("listener_started", events);
        Assert.Contains("router_connected", events);
        Assert.Equal("shutdown_complete", events[^1]);
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[512];
        socket.ReceiveTimeout = 20_000;
        var n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    private Process Start(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "bmpmond.dll"), "run"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("BMPMOND_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    private static class Syscall
    {
        public const int Sigterm = 15;

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
