using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
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

    [Theory]
    [InlineData("BMPMOND_STATS_INTERVAL", "-5")]
    [InlineData("BMPMOND_LISTEN", "nowhere:11019")]
    [InlineData("BMPMOND_OUTPUT", "kafka:topic")]
    [InlineData("BMPMOND_MAX_SESSIONS", "0")]
    [InlineData("BMPMOND_ALLOWED_ROUTERS", "10.0.0.0/33")]
    [InlineData("BMPMOND_LOG_LEVEL", "CHATTY")]
    public void Invalid_setting_exits_2_with_one_line_naming_it(string name, string value)
    {
        using var process = Start(new() { [name] = value });
        Assert.True(process.WaitForExit(30_000));
        var stderr = process.StandardError.ReadToEnd();

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"bmpmond: {name}", line);
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
