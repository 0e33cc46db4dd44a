using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bmpmon.Tests.Daemon;
using Bmpmon.Tests.Decoding;
using Sentry;

namespace Bmpmon.Tests.Telemetry;

/// <summary>What a scenario run left behind: the routers' addresses as the daemon names them, and the whole log.</summary>
internal sealed record SentryRun(string PeerRouter, string GarbageRouter, IReadOnlyList<string> LogLines, bool SdkEnabled)
{
    public List<JsonElement> Logs(string eventName) =>
        LogLines.Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("event").GetString() == eventName).ToList();
}

/// <summary>
/// The traffic behind every event kind Sentry gets: one router sends a peer up, a malformed route
/// monitoring message and a peer down (the framing holds, the session goes on); a second router sends
/// garbage, whose framing_lost line is an ERROR log entry of its own kind.
/// </summary>
internal static class SentryScenario
{
    /// <summary>A DSN public key shaped like Sentry's (32 hex digits), distinctive enough to search logs for.</summary>
    public const string PublicKey = "5e17d0c0ffee4b6d9a3f2e1d0c9b8a71";

    public const int Project = 42;

    /// <summary>Where the BGP message length sits in <see cref="Malformed"/>: common header, per-peer header, marker.</summary>
    public const int BgpLengthOffset = 6 + 42 + 16;

    private static readonly byte[] Open = BmpBuilder.Open(65001, BmpBuilder.FourOctetAsCapability(65001));

    /// <summary>RFC 7854 s4.10, peer 192.0.2.2 AS 65001 (<see cref="BmpBuilder.PerPeerHeader"/>).</summary>
    public static readonly byte[] PeerUp = BmpBuilder.PeerUp(Open, Open);

    /// <summary>A route monitoring message whose UPDATE claims a length far past the message's end.</summary>
    public static readonly byte[] Malformed = BrokenRouteMonitoring();

    /// <summary>RFC 7854 s4.9 reason 4: the remote system closed the session without a NOTIFICATION.</summary>
    public static readonly byte[] PeerDown = BmpBuilder.PeerDown(4, []);

    /// <summary>BMP version 9: the framing is lost at once.</summary>
    public static readonly byte[] Garbage = [9, 0, 0, 0, 6, 4];

    /// <summary>
    /// Runs the scenario through an in-process daemon with <paramref name="settings"/>, stops it (which
    /// flushes Sentry), and returns the routers and the log. <see cref="SentryRun.SdkEnabled"/> is
    /// whether the process-wide Sentry SDK was running while the daemon was.
    /// </summary>
    public static async Task<SentryRun> RunAsync(params (string Name, string Value)[] settings)
    {
        using var daemon = new TestDaemon(settings);
        var sdkEnabled = SentrySdk.IsEnabled;
        var peerRouter = await SendAsync(daemon, [.. PeerUp, .. Malformed, .. PeerDown]);
        var garbageRouter = await SendAsync(daemon, Garbage);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, daemon.Stop());
        return new SentryRun(peerRouter, garbageRouter, File.ReadAllLines(daemon.LogPath), sdkEnabled);
    }

    /// <summary>The DSN settings for <paramref name="endpoint"/>.</summary>
    public static (string, string) Dsn(SentryEndpoint endpoint) => ("BMPMOND_SENTRY_DSN", endpoint.Dsn(PublicKey, Project));

    /// <summary>Sends <paramref name="bytes"/> from a new connection, closes it, waits for the daemon's FIN; returns the router as the daemon names it.</summary>
    private static async Task<string> SendAsync(TestDaemon daemon, byte[] bytes)
    {
        using var client = await daemon.OpenAndSendAsync(bytes);
        var local = (IPEndPoint)client.LocalEndPoint!;
        client.Shutdown(SocketShutdown.Send);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await client.ReceiveAsync(new byte[64], timeout.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
        }

        return string.Create(CultureInfo.InvariantCulture, $"{local.Address}:{local.Port}");
    }

    private static byte[] BrokenRouteMonitoring()
    {
        byte[] attributes = [.. BmpBuilder.Origin(), .. BmpBuilder.AsPath4(65001), .. BmpBuilder.NextHop(192, 0, 2, 2)];
        var message = BmpBuilder.RouteMonitoring(BmpBuilder.Update([], attributes, [24, 10, 0, 0]));
        message[BgpLengthOffset] = 0xFF;
        return message;
    }
}
