using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bmpmond.Replay;

namespace Bmpmon.Tests.Replay;

/// <summary>The runner under conditions the command line does not set: many connections, a collector that never closes.</summary>
public sealed class ReplayRunnerTests
{
    [Fact(Timeout = 60_000)]
    public async Task Two_hundred_routers_at_once_each_deliver_their_stream()
    {
        var payload = ReplayCommandTests.Messages(30);
        await using var collector = new RecordingCollector();
        Assert.True(ReplayTarget.TryParse(collector.Target, out var target, out _));

        var report = await ReplayRunner.RunAsync([ReplayStream.Create("s", payload)], new ReplayOptions { Target = target, Connections = 200, Loop = 3 });

        Assert.Equal(0, report.FailedConnections);
        Assert.Equal(200, report.Connections);
        Assert.Equal(200L * 3 * 30, report.Messages);
        Assert.Equal(200, collector.Received.Count);
        byte[] expected = [.. payload, .. payload, .. payload];
        Assert.All(collector.Received, r => Assert.Equal(expected, r));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_collector_that_never_closes_holds_replay_only_for_the_close_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptSocketAsync();
        Assert.True(ReplayTarget.TryParse($"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", out var target, out _));
        var options = new ReplayOptions { Target = target, CloseTimeout = TimeSpan.FromMilliseconds(300) };

        var clock = Stopwatch.StartNew();
        var report = await ReplayRunner.RunAsync([ReplayStream.Create("s", ReplayCommandTests.Messages(3))], options).WaitAsync(TimeSpan.FromSeconds(30));
        clock.Stop();
        using var socket = await accepted;

        // Everything was sent; only the confirmation that it was read is missing: not a failure.
        Assert.Equal(0, report.FailedConnections);
        Assert.Equal(3, report.Messages);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {clock.Elapsed}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancellation_ends_every_connection_with_a_reason()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Assert.True(ReplayTarget.TryParse($"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", out var target, out _));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // One message a second: the second message is never due before the cancellation.
        var report = await ReplayRunner.RunAsync(
            [ReplayStream.Create("s", ReplayCommandTests.Messages(10))],
            new ReplayOptions { Target = target, Rate = 2, Connections = 2 },
            cancel.Token).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, report.FailedConnections);
        Assert.All(report.Errors, e => Assert.EndsWith("send: cancelled", e, StringComparison.Ordinal));
        Assert.Equal(2, report.Messages);
    }
}
