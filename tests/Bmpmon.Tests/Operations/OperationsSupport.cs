using System.Net;
using System.Net.Sockets;
using Bmpmond.Configuration;
using Bmpmond.Daemon;
using Bmpmond.Storage.Jobs;
using static Bmpmon.Tests.Decoding.BmpBuilder;

namespace Bmpmon.Tests.Operations;

/// <summary>A daemon with the PostgreSQL output and the periodic jobs on test intervals, and a small router stream.</summary>
internal sealed class JobsDaemon : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-ops-").FullName;
    private readonly FileStream _logs;
    private int? _exitCode;

    public JobsDaemon(string connectionString, JobSchedule schedule, params (string Name, string Value)[] settings)
    {
        LogPath = Path.Combine(_folder, "log.jsonl");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{Daemon.TestDaemon.FreePort()}",
            ["BMPMOND_OUTPUT"] = "postgres",
            ["BMPMOND_DATABASE_URL"] = connectionString,
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        Assert.True(OptionsLoader.TryLoad(environment, null, _folder, Path.Combine(_folder, "none.env"), out var options, out var error, out _), error);
        _logs = new FileStream(LogPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        Host = DaemonHost.Start(options, Stream.Null, _logs, new SystemdNotifier(null), schedule);
    }

    public DaemonHost Host { get; }

    public string LogPath { get; }

    public string Logs() => File.ReadAllText(LogPath);

    public int Stop() => _exitCode ??= Host.Stop("SIGTERM");

    /// <summary>Sends <paramref name="bytes"/> as one router session, closes it, and waits until the daemon has no session left.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Host.LocalEndPoint.Port));
            await client.SendAsync(bytes);
            client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                while (await client.ReceiveAsync(buffer, timeout.Token) > 0)
                {
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && Host.Routers.Count > 0)
        {
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        Stop();
        _logs.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Peer Up, then two IPv4 routes announced (10.0.0.0/8 and 192.0.2.0/24), no Peer Down.</summary>
    public static byte[] TwoRoutes()
    {
        byte[][] caps = [MultiprotocolCapability(1, 1), FourOctetAsCapability(65001)];
        var peerUp = PeerUp(Open(23456, caps), Open(23456, caps));
        byte[] attrs = [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)];
        var announce = RouteMonitoring(Update([], attrs, [8, 10, 24, 192, 0, 2]));
        return [.. peerUp, .. announce];
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }
}
