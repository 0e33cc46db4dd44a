using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Bmpmond;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// The network path of issue 4 end to end: dual stack, TCP keepalive on accepted sockets, the
/// allow-list letting a router through, backpressure from a slow output down to the router's TCP
/// sends, and <c>bmpmond replay</c> itself streaming a multi-router capture into the daemon.
/// </summary>
public sealed class DaemonNetworkTests(ITestOutputHelper output)
{
    [DualStackTheory]
    [InlineData("")]
    [InlineData("127.0.0.1/32")]
    public async Task Dual_stack_listener_takes_an_ipv4_router_and_logs_its_plain_ipv4_address(string allowed)
    {
        var payload = Bmpmon.Bench.SyntheticTable.Build(50, 0);
        using var daemon = new TestDaemon(("BMPMOND_LISTEN", $"[::]:{TestDaemon.FreePort()}"), ("BMPMOND_ALLOWED_ROUTERS", allowed));
        Assert.Equal(AddressFamily.InterNetworkV6, daemon.Host.LocalEndPoint.AddressFamily);
        await daemon.SendAsync(payload);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, daemon.Stop());

        Assert.Empty(daemon.Logs("router_refused"));
        Assert.Equal("127.0.0.1", Assert.Single(daemon.Logs("router_connected")).GetProperty("address").GetString());
        Assert.Equal("127.0.0.1", Assert.Single(daemon.Logs("router_disconnected")).GetProperty("address").GetString());
        var routers = File.ReadLines(daemon.OutputPath).Where(l => l.Contains("\"family\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("router").GetString()!).ToList();
        Assert.Equal(50, routers.Count);
        Assert.All(routers, r => Assert.StartsWith("127.0.0.1:", r));
    }

    [DualStackFact]
    public async Task Dual_stack_allow_list_refuses_an_ipv4_router_outside_it_by_its_ipv4_address()
    {
        using var daemon = new TestDaemon(("BMPMOND_LISTEN", $"[::]:{TestDaemon.FreePort()}"), ("BMPMOND_ALLOWED_ROUTERS", "127.0.0.2/32"));
        await daemon.SendAsync([3, 0, 0, 0, 6, 4]);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(5));
        daemon.Stop();

        Assert.Equal("127.0.0.1", Assert.Single(daemon.Logs("router_refused")).GetProperty("address").GetString());
        Assert.Empty(daemon.Logs("router_connected"));
    }

    [Fact]
    public async Task Allowed_router_gets_through_and_its_routes_arrive()
    {
        var payload = Bmpmon.Bench.SyntheticTable.Build(1_000, 200);
        using var daemon = new TestDaemon(("BMPMOND_ALLOWED_ROUTERS", "192.0.2.0/24, 127.0.0.1, 2001:db8::/32"));
        await daemon.SendAsync(payload);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, daemon.Stop());

        Assert.Empty(daemon.Logs("router_refused"));
        Assert.Equal("127.0.0.1", Assert.Single(daemon.Logs("router_connected")).GetProperty("address").GetString());
        Assert.Equal(DecodeRoutes(payload), daemon.RouteLines());
    }

    /// <summary>
    /// SO_KEEPALIVE as the kernel sees it: in /proc/net/tcp the timer column of a connection is 2
    /// while its keepalive timer is armed, due in BMPMOND's 60 s of idle time; the test's own end of
    /// the same connection, without keepalive, shows no timer (0).
    /// </summary>
    [Fact]
    public async Task Accepted_router_sockets_have_tcp_keepalive_on()
    {
        using var daemon = new TestDaemon();
        using var router = await daemon.OpenAndSendAsync([3, 0, 0, 0, 6, 4]);
        var routerPort = ((IPEndPoint)router.LocalEndPoint!).Port;
        var daemonPort = daemon.EndPoint.Port;

        (int Timer, double Seconds)? server = null, client = null;
        for (var i = 0; i < 250 && (server is not { Timer: 2 } || client is null); i++)
        {
            await Task.Delay(20);
            server = TcpTimer(daemonPort, routerPort);
            client = TcpTimer(routerPort, daemonPort);
        }

        output.WriteLine($"daemon side: {server}; router side: {client}");
        Assert.NotNull(server);
        Assert.Equal(2, server.Value.Timer);
        Assert.InRange(server.Value.Seconds, 50, 60);
        Assert.NotNull(client);
        Assert.Equal(0, client.Value.Timer);
        router.Shutdown(SocketShutdown.Send);
        daemon.Stop();
    }

    [Fact]
    public async Task Slow_output_pushes_back_on_the_router_with_bounded_memory_and_drops_nothing()
    {
        const int Routes = 200_000;
        GatedOutput? gated = null;
        using var daemon = new TestDaemon(path => gated = new GatedOutput(path), ("BMPMOND_MAX_PENDING_MB", "16"));
        var limit = 16L << 20;
        gated!.WritesOpen.Reset();

        using var router = new BurstRouter(Bmpmon.Bench.SyntheticTable.Build(Routes, 0));
        await router.ConnectAsync(daemon.EndPoint);
        var peak = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (daemon.Logs("backpressure_started").Count == 0 && DateTime.UtcNow < deadline)
        {
            peak = Math.Max(peak, daemon.Host.PipelinePendingBytes);
            await Task.Delay(20);
        }

        Assert.Single(daemon.Logs("backpressure_started"));

        // The output is stuck: the session stops reading, the kernel buffers fill, the router's sends block.
        long sentBefore;
        long sentAfter = router.Sent;
        do
        {
            sentBefore = sentAfter;
            for (var i = 0; i < 50; i++)
            {
                peak = Math.Max(peak, daemon.Host.PipelinePendingBytes);
                await Task.Delay(20);
            }

            sentAfter = router.Sent;
        }
        while (sentAfter != sentBefore && DateTime.UtcNow < deadline);

        output.WriteLine($"router blocked after {sentAfter} of {router.Length} bytes; queue peak {peak} bytes (limit {limit})");
        Assert.Equal(sentBefore, sentAfter);
        Assert.True(sentAfter < router.Length, "the router sent everything although the output was stuck");
        Assert.False(router.Sending.IsCompleted);

        gated.WritesOpen.Set();
        await router.Sending.WaitAsync(TimeSpan.FromSeconds(60));
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, daemon.Stop());

        var ended = Assert.Single(daemon.Logs("backpressure_ended"));
        Assert.InRange(ended.GetProperty("peak_pending_bytes").GetInt64(), 1, limit);
        Assert.InRange(peak, 1, limit);
        Assert.Equal(router.Length, router.Sent);
        Assert.Equal(Routes, File.ReadLines(daemon.OutputPath).Count(l => l.Contains("\"family\"", StringComparison.Ordinal)));
    }

    /// <summary>
    /// <c>bmpmond replay</c> (the command) pushes every TCP stream of a multi-router capture, twice
    /// (<c>--connections 2</c>), into a running daemon: each connection's routes, in order, are one
    /// router's routes of <c>bmpmond decode --routes</c> on the same file.
    /// </summary>
    [FixtureFact]
    public async Task Replay_command_into_the_daemon_gives_what_decode_routes_gives_once_per_connection()
    {
        var root = Fixtures.RequireRoot();

        var capture = Path.Combine(root, "pmacct", "208-BMP-mem-leak-test__bmp-multi-sources-route-monitoring.pcap");
        var expected = ByRouter(Run("decode", "--routes", capture).Stdout);
        Assert.True(expected.Count > 1, "the capture should hold several routers' streams");

        using var daemon = new TestDaemon();
        var replay = Run("replay", capture, "--to", $"127.0.0.1:{daemon.EndPoint.Port}", "--connections", "2");
        Assert.Equal(0, replay.ExitCode);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, daemon.Stop());

        var actual = ByRouter(File.ReadAllText(daemon.OutputPath));
        var report = JsonDocument.Parse(replay.Stdout).RootElement;
        output.WriteLine($"{expected.Count} streams, {expected.Sum(e => e.Count)} routes; daemon saw {actual.Count} connections, {actual.Sum(a => a.Count)} routes; replay: {replay.Stdout.Trim()}");
        var twice = expected.Concat(expected).Select(r => string.Join("\n", r)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(twice, actual.Select(r => string.Join("\n", r)).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(JsonValueKind.Object, report.ValueKind);
    }

    /// <summary>
    /// The "tr" (timer kind) and "tm->when" (seconds until it fires) columns of the IPv4 loopback
    /// connection from <paramref name="localPort"/> to <paramref name="remotePort"/> in /proc/net/tcp.
    /// </summary>
    private static (int Timer, double Seconds)? TcpTimer(int localPort, int remotePort)
    {
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (Port(fields[1]) != localPort || Port(fields[2]) != remotePort || fields[3] != "01")
            {
                continue;
            }

            var timer = fields[5].Split(':');

            // The kernel prints the time left in clock ticks (USER_HZ, 100 on Linux).
            return (int.Parse(timer[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), long.Parse(timer[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 100.0);
        }

        return null;
    }

    private static int Port(string address) => int.Parse(address.AsSpan(address.IndexOf(':', StringComparison.Ordinal) + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The route lines grouped by their router field (in order within a router), the router field removed.</summary>
    private static List<List<string>> ByRouter(string jsonLines)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.Contains("\"family\"", StringComparison.Ordinal))
            {
                continue;
            }

            var router = JsonDocument.Parse(line).RootElement.GetProperty("router").GetString()!;
            var end = line.IndexOf("\",", line.IndexOf("\"router\":\"", StringComparison.Ordinal) + 10, StringComparison.Ordinal);
            (groups.TryGetValue(router, out var list) ? list : groups[router] = []).Add("{" + line[(end + 2)..]);
        }

        return [.. groups.Values];
    }

    private static (int ExitCode, string Stdout) Run(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()));
    }

    private static List<string> DecodeRoutes(byte[] payload)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, payload);
            return ByRouter(Run("decode", "--routes", file).Stdout).SelectMany(r => r).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
