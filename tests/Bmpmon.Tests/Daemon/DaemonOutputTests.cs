using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// The outputs the issue names, end to end: the jsonl event lines (initiation, peer_up, peer_down,
/// termination) with their content; and, with the built binary, <c>jsonl:-</c> (routes and events on
/// stdout, logs on stderr) and <c>null</c> (nothing but logs, every route counted).
/// </summary>
public sealed class DaemonOutputTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-output-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Jsonl_event_lines_carry_the_initiation_peer_up_peer_down_and_termination()
    {
        using var daemon = new TestDaemon();
        await daemon.SendAsync(KnownBmpStream.Bytes(KnownBmpStream.All));
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        var events = daemon.OutputEvents();
        Assert.Equal(["initiation", "peer_up", "peer_down", "termination"], events.Select(e => e.GetProperty("event").GetString()));
        var router = events[0].GetProperty("router").GetString();
        Assert.All(events, e => Assert.Equal(router, e.GetProperty("router").GetString()));

        var tlvs = events[0].GetProperty("tlvs").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("value").GetString());
        Assert.Equal(KnownBmpStream.SysDescr, tlvs["SysDescr"]);
        Assert.Equal(KnownBmpStream.SysName, tlvs["SysName"]);

        var up = events[1];
        Assert.Equal("192.0.2.2", up.GetProperty("peer_address").GetString());
        Assert.Equal(65001u, up.GetProperty("peer_asn").GetUInt32());
        Assert.Equal("global", up.GetProperty("peer_type").GetString());
        Assert.Equal("0.0.0.1", up.GetProperty("local_address").GetString());
        Assert.Equal(179, up.GetProperty("local_port").GetInt32());
        Assert.Equal(40000, up.GetProperty("remote_port").GetInt32());
        Assert.Equal(65001u, up.GetProperty("sent_open").GetProperty("asn").GetUInt32());
        var negotiated = up.GetProperty("negotiated");
        Assert.Equal(["ipv4-unicast", "ipv6-unicast"], negotiated.GetProperty("families").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["ipv4-unicast"], negotiated.GetProperty("add_path_adj_rib_in").EnumerateArray().Select(f => f.GetString()));

        var down = events[2];
        Assert.Equal(1, down.GetProperty("reason").GetInt32());
        Assert.Equal("local system closed the session with a NOTIFICATION", down.GetProperty("reason_text").GetString());
        var notification = down.GetProperty("notification");
        Assert.Equal((6, 2), (notification.GetProperty("code").GetInt32(), notification.GetProperty("subcode").GetInt32()));
        Assert.Equal("Cease: Administrative Shutdown", notification.GetProperty("text").GetString());
        Assert.Equal(KnownBmpStream.ShutdownCommunication, notification.GetProperty("shutdown_communication").GetString());

        var termination = events[3];
        Assert.Equal(0, termination.GetProperty("reason").GetInt32());
        Assert.Equal("Session administratively closed", termination.GetProperty("reason_text").GetString());
        Assert.Equal(KnownBmpStream.Routes, daemon.RouteLines().Count);
    }

    [Fact]
    public async Task Jsonl_dash_writes_routes_and_events_to_stdout_and_the_logs_to_stderr()
    {
        var (stdout, stderr, exitCode) = await RunAndReplay("jsonl:-");

        Assert.Equal(0, exitCode);
        var data = stdout.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(KnownBmpStream.Routes, data.Count(l => l.TryGetProperty("family", out _)));
        Assert.Equal(["initiation", "peer_up", "peer_down", "termination"], data.Where(l => l.TryGetProperty("event", out _)).Select(l => l.GetProperty("event").GetString()));
        Assert.All(data, l => Assert.False(l.TryGetProperty("level", out _), $"a log line on stdout: {l}"));

        var logs = stderr.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(logs, l => Assert.True(l.TryGetProperty("level", out _) && l.TryGetProperty("event", out _), $"not a log line on stderr: {l}"));
        var events = logs.Select(l => l.GetProperty("event").GetString()).ToList();
        Assert.Contains("router_connected", events);
        Assert.Contains("peer_up", events);
        Assert.Equal("shutdown_complete", events[^1]);

        // The session's final line is taken as it closes: the writer may not have taken its last batch yet.
        var stats = Assert.Single(logs, l => l.GetProperty("event").GetString() == "route_stats");
        Assert.Equal(KnownBmpStream.Routes, stats.GetProperty("routes_received").GetInt64());
        Assert.InRange(stats.GetProperty("routes_processed").GetInt64(), 0, KnownBmpStream.Routes);
    }

    [Fact]
    public async Task Null_output_writes_no_routes_and_counts_them_all()
    {
        var (stdout, stderr, exitCode) = await RunAndReplay("null");

        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        var logs = stdout.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(logs, l => Assert.True(l.TryGetProperty("level", out _), $"not a log line on stdout: {l}"));
        Assert.DoesNotContain(logs, l => l.TryGetProperty("family", out _));
        var stats = Assert.Single(logs, l => l.GetProperty("event").GetString() == "route_stats");
        Assert.True(stats.GetProperty("final").GetBoolean());
        Assert.Equal(KnownBmpStream.Routes, stats.GetProperty("routes_received").GetInt64());
        Assert.Equal(KnownBmpStream.Routes, stats.GetProperty("routes_processed").GetInt64());
        Assert.Equal(KnownBmpStream.All.Length, stats.GetProperty("messages").GetInt64());
    }

    /// <summary>
    /// Runs <c>bmpmond run</c> with <paramref name="outputSetting"/>, replays the known stream as one
    /// router (waiting until the daemon has read it all and closed), then SIGTERM; returns both streams' lines.
    /// </summary>
    private async Task<(List<string> Stdout, List<string> Stderr, int ExitCode)> RunAndReplay(string outputSetting)
    {
        var port = TestDaemon.FreePort();
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

        start.Environment["BMPMOND_LISTEN"] = $"127.0.0.1:{port}";
        start.Environment["BMPMOND_OUTPUT"] = outputSetting;
        start.Environment["BMPMOND_STATS_INTERVAL"] = "3600";
        using var process = Process.Start(start)!;
        var stdout = new List<string>();
        var stderr = new List<string>();
        using var listening = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) => Collect(stdout, e.Data, listening);
        process.ErrorDataReceived += (_, e) => Collect(stderr, e.Data, listening);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Assert.True(listening.Wait(TimeSpan.FromSeconds(30)), "no listener_started line");
            await SendAndWaitForClose(port, KnownBmpStream.Bytes(KnownBmpStream.All));
            Assert.Equal(0, Kill(process.Id, 15));
            Assert.True(process.WaitForExit(30_000), "bmpmond did not exit within 30 s of SIGTERM");
            process.WaitForExit();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        lock (stdout)
        {
            lock (stderr)
            {
                output.WriteLine($"stdout:\n{string.Join('\n', stdout)}\nstderr:\n{string.Join('\n', stderr)}");
                return ([.. stdout], [.. stderr], process.ExitCode);
            }
        }
    }

    private static void Collect(List<string> lines, string? line, ManualResetEventSlim listening)
    {
        if (line is not { Length: > 0 })
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }

        if (line.Contains("\"listener_started\"", StringComparison.Ordinal))
        {
            listening.Set();
        }
    }

    private static async Task SendAndWaitForClose(int port, byte[] bytes)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await client.SendAsync(bytes);
        client.Shutdown(SocketShutdown.Send);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64];
        while (await client.ReceiveAsync(buffer, timeout.Token) > 0)
        {
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
