using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bmpmond.Configuration;
using Bmpmond.Daemon;

namespace Bmpmon.Tests.Daemon;

/// <summary>An in-process daemon on 127.0.0.1 with a jsonl output and JSON logs in a temp folder.</summary>
internal sealed class TestDaemon : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-daemon-").FullName;
    private readonly FileStream _logs;
    private int? _exitCode;

    public TestDaemon(params (string Name, string Value)[] settings)
        : this(null, settings)
    {
    }

    /// <summary>A daemon whose output is <paramref name="output"/>(<see cref="OutputPath"/>) instead of BMPMOND_OUTPUT's (a slow or stuck one).</summary>
    public TestDaemon(Func<string, Bmpmond.Pipeline.IDaemonOutput>? output, params (string Name, string Value)[] settings)
    {
        OutputPath = Path.Combine(_folder, "routes.jsonl");
        LogPath = Path.Combine(_folder, "log.jsonl");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{FreePort()}",
            ["BMPMOND_OUTPUT"] = $"jsonl:{OutputPath}",
            ["BMPMOND_STATS_INTERVAL"] = "1",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        Assert.True(OptionsLoader.TryLoad(environment, null, _folder, Path.Combine(_folder, "none.env"), out var options, out var error, out _), error);
        _logs = new FileStream(LogPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        Host = DaemonHost.Start(options, Stream.Null, _logs, new SystemdNotifier(null), testOutput: output?.Invoke(OutputPath));
    }

    public DaemonHost Host { get; }

    public string OutputPath { get; }

    public string LogPath { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Host.LocalEndPoint.Port);

    /// <summary>Stops the daemon (the SIGTERM path) and returns its exit code.</summary>
    public int Stop() => _exitCode ??= Host.Stop("SIGTERM");

    /// <summary>The output lines that are routes (they carry "family"), with the per-connection router field removed.</summary>
    public List<string> RouteLines() => File.ReadLines(OutputPath).Where(l => l.Contains("\"family\"", StringComparison.Ordinal)).Select(WithoutRouter).ToList();

    public List<JsonElement> OutputEvents() =>
        File.ReadLines(OutputPath).Where(l => l.Contains("\"event\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    public List<JsonElement> Logs() =>
        File.ReadLines(LogPath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    /// <summary>The WARNING and ERROR log lines, for the message of a failed assertion.</summary>
    public string Problems() =>
        string.Join('\n', File.ReadLines(LogPath).Where(l => l.Contains("\"level\":\"WARN", StringComparison.Ordinal) || l.Contains("\"level\":\"ERROR", StringComparison.Ordinal)));

    public List<JsonElement> Logs(string eventName) => Logs().Where(l => l.GetProperty("event").GetString() == eventName).ToList();

    /// <summary>Opens a router connection and sends <paramref name="bytes"/> in chunks chosen by <paramref name="chunk"/>; then FIN and wait for the daemon to close or the timeout.</summary>
    public async Task SendAsync(byte[] bytes, Func<int>? chunk = null, bool close = true)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = chunk is not null };
        await client.ConnectAsync(EndPoint);
        for (var offset = 0; offset < bytes.Length;)
        {
            var n = Math.Min(chunk?.Invoke() ?? bytes.Length, bytes.Length - offset);
            offset += await client.SendAsync(bytes.AsMemory(offset, n));
        }

        if (close)
        {
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
    }

    /// <summary>Opens a router connection, sends <paramref name="bytes"/>, and keeps it open (the caller disposes it).</summary>
    public async Task<Socket> OpenAndSendAsync(byte[] bytes)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(EndPoint);
        await client.SendAsync(bytes);
        return client;
    }

    /// <summary>Waits until every session has been closed and the queue written (or the timeout).</summary>
    public async Task WaitIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && Host.Routers.Count > 0)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>A port free right now (the configuration rightly refuses port 0, which nobody could find).</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        Stop();
        _logs.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string WithoutRouter(string line)
    {
        var end = line.IndexOf("\",", line.IndexOf("\"router\":\"", StringComparison.Ordinal) + 10, StringComparison.Ordinal);
        return "{" + line[(end + 2)..];
    }
}
