using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// The shutdown sequence of issue 4: SIGTERM and SIGINT alike on the real process, exit 1 when the
/// drain times out or the output fails, the 60 s cap (with its log line), and routers closed with
/// FIN and given up to 5 s to close their side, even in the middle of a burst.
/// </summary>
public sealed class DaemonShutdownTests(ITestOutputHelper output) : IDisposable
{
    private static readonly byte[] Initiation = [3, 0, 0, 0, 6, 4];
    private static readonly string[] SequenceEvents = ["listener_started", "router_connected", "shutdown_started", "router_disconnected", "shutdown_complete"];

    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-shutdown-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("SIGTERM", BmpmondProcess.Sigterm)]
    [InlineData("SIGINT", BmpmondProcess.Sigint)]
    public void Signal_stops_the_process_in_order_with_exit_0(string name, int signal)
    {
        var port = TestDaemon.FreePort();
        using var daemon = new BmpmondProcess(_folder, new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = $"jsonl:{Path.Combine(_folder, "routes.jsonl")}",
        });
        daemon.WaitFor("listener_started", TimeSpan.FromSeconds(30));
        using var router = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 20_000 };
        router.Connect(IPAddress.Loopback, port);
        router.Send(Initiation);
        daemon.WaitFor("router_connected", TimeSpan.FromSeconds(20));

        daemon.Signal(signal);

        // The daemon's FIN: end of stream, then the router closes its side, as a router does.
        Assert.Equal(0, router.Receive(new byte[16]));
        router.Shutdown(SocketShutdown.Send);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(30)), $"bmpmond did not exit within 30 s of {name}");

        Assert.Equal(0, daemon.ExitCode);
        var logs = daemon.Logs();
        var events = logs.Select(l => l.GetProperty("event").GetString()!).ToList();
        output.WriteLine(string.Join(", ", events));
        Assert.Equal(SequenceEvents, events.Where(SequenceEvents.Contains));
        Assert.Equal("shutdown_complete", events[^1]);
        Assert.Equal(name, daemon.Logs("shutdown_started")[0].GetProperty("signal").GetString());
        Assert.Equal(0, daemon.Logs("shutdown_complete")[0].GetProperty("exit_code").GetInt32());
        Assert.Equal(0, Error(router));
    }

    [Fact]
    public async Task A_stuck_output_makes_the_drain_time_out_with_a_warning_and_exit_1()
    {
        var port = TestDaemon.FreePort();
        using var daemon = new BmpmondProcess(
            _folder,
            new Dictionary<string, string>
            {
                ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
                ["BMPMOND_OUTPUT"] = "jsonl:-",
                ["BMPMOND_SHUTDOWN_DRAIN_SECONDS"] = "1",
                ["BMPMOND_MAX_PENDING_MB"] = "16",
            },
            logsOnStderr: true);
        daemon.WaitFor("listener_started", TimeSpan.FromSeconds(30));

        // Nobody reads bmpmond's stdout: the pipe fills, the output is stuck, the queue backs up.
        using var router = new BurstRouter(Bmpmon.Bench.SyntheticTable.Build(100_000, 0));
        await router.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        daemon.WaitFor("backpressure_started", TimeSpan.FromSeconds(30));
        var signalled = Stopwatch.StartNew();
        daemon.Signal(BmpmondProcess.Sigterm);

        var timedOut = daemon.WaitFor("drain_timed_out", TimeSpan.FromSeconds(20));
        Assert.Equal("WARNING", timedOut.GetProperty("level").GetString());
        Assert.True(timedOut.GetProperty("pending_bytes").GetInt64() > 0);

        // The output moves again (a disk that came back): its close completes instead of hitting the cap.
        var reading = daemon.Stdout.CopyToAsync(Stream.Null);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(40)), "bmpmond did not exit");
        await reading;
        output.WriteLine($"exit {daemon.ExitCode} {signalled.Elapsed.TotalSeconds:F1} s after SIGTERM");

        Assert.Equal(1, daemon.ExitCode);
        Assert.Equal(1, Assert.Single(daemon.Logs("shutdown_complete")).GetProperty("exit_code").GetInt32());
        Assert.Empty(daemon.Logs("shutdown_cap_reached"));
    }

    [Fact]
    public async Task A_failing_output_makes_the_exit_code_1()
    {
        var port = TestDaemon.FreePort();
        using var daemon = new BmpmondProcess(_folder, new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = "jsonl:/dev/full",
            ["BMPMOND_SHUTDOWN_DRAIN_SECONDS"] = "1",
        });
        daemon.WaitFor("listener_started", TimeSpan.FromSeconds(30));
        using (var router = new BurstRouter(Bmpmon.Bench.SyntheticTable.Build(2_000, 0)))
        {
            await router.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            await router.Sending;
            daemon.WaitFor("output_failed", TimeSpan.FromSeconds(20));
            daemon.Signal(BmpmondProcess.Sigterm);
        }

        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(40)), "bmpmond did not exit");
        Assert.Equal(1, daemon.ExitCode);
        Assert.Equal("ERROR", daemon.Logs("output_failed")[0].GetProperty("level").GetString());
        Assert.Equal(1, Assert.Single(daemon.Logs("shutdown_complete")).GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task Shutdown_past_the_cap_logs_the_stuck_step_then_exits_1()
    {
        GatedOutput? gated = null;
        using var daemon = new TestDaemon(path => gated = new GatedOutput(path));
        gated!.CloseOpen.Reset();
        daemon.Host.Cap = TimeSpan.FromSeconds(1);
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        daemon.Host.Exit = code => exited.TrySetResult(code);

        var stopping = Task.Run(daemon.Stop);
        var code = await exited.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, code);
        Assert.False(stopping.IsCompleted, "the stuck step ended before the cap");
        var cap = Assert.Single(daemon.Logs("shutdown_cap_reached"));
        Assert.Equal("ERROR", cap.GetProperty("level").GetString());
        Assert.Equal(1.0, cap.GetProperty("cap_seconds").GetDouble());
        Assert.Equal("flushing and closing the output", cap.GetProperty("step").GetString());
        Assert.Equal("shutdown_cap_reached", daemon.Logs()[^1].GetProperty("event").GetString());

        gated.CloseOpen.Set();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_router_gets_a_fin_and_the_daemon_waits_for_its_close_taking_late_bytes_without_a_reset()
    {
        using var daemon = new TestDaemon();
        using var router = await daemon.OpenAndSendAsync(Initiation);
        await WaitUntil(() => daemon.Host.Routers.Count == 1);

        var stopping = Task.Run(daemon.Stop);
        Assert.Equal(0, await router.ReceiveAsync(new byte[16]).WaitAsync(TimeSpan.FromSeconds(10)));

        // After the FIN the router is still sending (the rest of a message): the daemon keeps
        // waiting for its close, and late bytes are dropped, not answered with a reset.
        await Task.Delay(700);
        Assert.False(stopping.IsCompleted, "the daemon closed before the router did");
        await router.SendAsync(new byte[8000]);
        await Task.Delay(700);
        Assert.False(stopping.IsCompleted, "late bytes cut the wait for the router's close short");
        router.Shutdown(SocketShutdown.Send);

        Assert.Equal(0, await stopping.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, Error(router));
        Assert.Equal("collector shutting down", Assert.Single(daemon.Logs("router_disconnected")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_router_that_never_closes_is_closed_after_5_s()
    {
        using var daemon = new TestDaemon();
        using var router = await daemon.OpenAndSendAsync(Initiation);
        await WaitUntil(() => daemon.Host.Routers.Count == 1);

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, daemon.Stop());
        output.WriteLine($"stopped in {watch.Elapsed.TotalSeconds:F2} s");

        Assert.InRange(watch.Elapsed.TotalSeconds, 4.5, 15);
        Assert.Contains("did not close in time", Assert.Single(daemon.Logs("router_disconnected")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_router_in_the_middle_of_a_burst_gets_an_orderly_close_and_nothing_read_is_lost()
    {
        using var daemon = new TestDaemon();
        using var router = new BurstRouter(Bmpmon.Bench.SyntheticTable.Build(300_000, 0));
        await router.ConnectAsync(daemon.EndPoint);
        await WaitUntil(() => daemon.Host.Routers.Count == 1 && daemon.Host.Routers.Sessions.First().Stats.Bytes > 0);
        await Task.Delay(300);

        var session = Assert.Single(daemon.Host.Routers.Sessions);
        var watch = Stopwatch.StartNew();
        Assert.Equal(0, await Task.Run(daemon.Stop));
        await router.Sending.WaitAsync(TimeSpan.FromSeconds(10));

        var decoded = session.Stats.Summary.Nlri.Values.Sum(c => c.Announced + c.Withdrawn);
        var written = File.ReadLines(daemon.OutputPath).Count(l => l.Contains("\"family\"", StringComparison.Ordinal));
        output.WriteLine($"stopped in {watch.Elapsed.TotalSeconds:F2} s; router sent {router.Sent} of {router.Length} bytes; decoded {decoded} routes, wrote {written}");
        Assert.True(router.SawEndOfStream, "the router saw no FIN");
        Assert.Null(router.SendError);
        Assert.Equal(0, Error(router.Socket));
        Assert.True(router.Sent < router.Length, "the burst was over before the shutdown");
        Assert.True(decoded > 0);
        Assert.Equal(decoded, written);
        Assert.Equal("collector shutting down", Assert.Single(daemon.Logs("router_disconnected")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Sigterm_in_the_middle_of_a_burst_loses_nothing_already_read_on_the_process()
    {
        const int Routes = 300_000;
        var port = TestDaemon.FreePort();
        var routes = Path.Combine(_folder, "routes.jsonl");
        using var daemon = new BmpmondProcess(_folder, new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = $"jsonl:{routes}",
        });
        daemon.WaitFor("listener_started", TimeSpan.FromSeconds(30));
        using var router = new BurstRouter(Bmpmon.Bench.SyntheticTable.Build(Routes, 0), pause: TimeSpan.FromMilliseconds(1));
        await router.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await WaitUntil(() => new FileInfo(routes) is { Exists: true, Length: > 0 });
        await Task.Delay(300);

        daemon.Signal(BmpmondProcess.Sigterm);
        await router.Sending.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(30)), "bmpmond did not exit");

        // The synthetic table is an Initiation, a Peer Up, then one Route Monitoring message per route.
        var messages = Assert.Single(daemon.Logs("router_disconnected")).GetProperty("messages").GetInt64();
        var written = File.ReadLines(routes).Count(l => l.Contains("\"family\"", StringComparison.Ordinal));
        output.WriteLine($"router sent {router.Sent} of {router.Length} bytes; bmpmond read {messages} messages, wrote {written} routes");
        Assert.Equal(0, daemon.ExitCode);
        Assert.InRange(written, 1, Routes - 1);
        Assert.Equal(messages - 2, written);
        Assert.True(router.SawEndOfStream);
        Assert.Null(router.SendError);
    }

    /// <summary>The socket's pending error: 0, or what a reset left (EPIPE, ECONNRESET).</summary>
    internal static int Error(Socket socket) => (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}

/// <summary>
/// A router streaming a table in 16 KiB segments while it watches for the collector's FIN; on the
/// FIN it stops sending and closes its side, as routers do when the collector goes away.
/// </summary>
internal sealed class BurstRouter(byte[] table, TimeSpan? pause = null) : IDisposable
{
    private const int Segment = 16 * 1024;
    private volatile bool _endOfStream;
    private long _sent;

    public Socket Socket { get; } = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public int Length => table.Length;

    public long Sent => Interlocked.Read(ref _sent);

    public bool SawEndOfStream => _endOfStream;

    /// <summary>A send that failed (a reset from the collector), or null.</summary>
    public Exception? SendError { get; private set; }

    /// <summary>Completes when the router stopped sending (end of table or FIN seen) and closed its side.</summary>
    public Task Sending { get; private set; } = Task.CompletedTask;

    public async Task ConnectAsync(IPEndPoint endPoint)
    {
        await Socket.ConnectAsync(endPoint);
        var watching = Task.Run(async () =>
        {
            try
            {
                _endOfStream = await Socket.ReceiveAsync(new byte[256]) == 0;
            }
            catch (SocketException)
            {
            }
        });
        Sending = Task.Run(async () =>
        {
            try
            {
                for (var offset = 0; offset < table.Length && !_endOfStream;)
                {
                    var n = await Socket.SendAsync(table.AsMemory(offset, Math.Min(Segment, table.Length - offset)));
                    offset += n;
                    Interlocked.Add(ref _sent, n);
                    if (pause is { } p)
                    {
                        await Task.Delay(p);
                    }
                }

                Socket.Shutdown(SocketShutdown.Send);
                await watching.WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                SendError = e;
            }
        });
    }

    public void Dispose() => Socket.Dispose();
}
