using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bmpmon.Tests.Daemon;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Telemetry;

/// <summary>
/// Sentry in bmpmond as a process: a malformed DSN stops it (exit 2) before it binds the port; with a
/// DSN the JIT build and the Native AOT binary both deliver a malformed message's event to the DSN's
/// host; without one nothing is sent, even with the SDK's own SENTRY_DSN variable set.
/// </summary>
[Collection(SentryCollection.Name)]
public sealed class SentryProcessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-sentry-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("http://{0}@127.0.0.1:{1}/notaproject")]
    [InlineData("{0}")]
    [InlineData("ftp://{0}@127.0.0.1:{1}/42")]
    public void Malformed_dsn_exits_2_with_one_line_naming_it_before_binding_the_port(string dsnFormat)
    {
        using var endpoint = SentryEndpoint.Start();

        // The listen port is taken: had bmpmond tried to bind it first, it would exit 1 saying so.
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var dsn = string.Format(CultureInfo.InvariantCulture, dsnFormat, SentryScenario.PublicKey, endpoint.Port);

        using var process = BmpmondProcess.Start(null, _folder, new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = taken.LocalEndPoint!.ToString()!,
            ["BMPMOND_OUTPUT"] = "null",
            ["BMPMOND_SENTRY_DSN"] = dsn,
        });
        Assert.True(process.WaitForExit(Wait), "bmpmond did not exit");

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(process.Stderr, l => l.Length > 0);
        Assert.StartsWith("bmpmond: BMPMOND_SENTRY_DSN: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(SentryScenario.PublicKey, line, StringComparison.Ordinal);
        Assert.DoesNotContain(process.Stdout, l => l.Contains("listener_started", StringComparison.Ordinal));
        Assert.Empty(endpoint.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Malformed_message_event_reaches_the_dsn_host(bool nativeAot)
    {
        if (!TryBinary(nativeAot, out var binary))
        {
            return;
        }

        using var endpoint = SentryEndpoint.Start();
        var port = TestDaemon.FreePort();
        using var process = BmpmondProcess.Start(binary, _folder, new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = "null",
            ["BMPMOND_SENTRY_DSN"] = endpoint.Dsn(SentryScenario.PublicKey, SentryScenario.Project),
            ["BMPMOND_SENTRY_ENVIRONMENT"] = "aot-check",
        });
        Assert.True(process.WaitForLog("listener_started", Wait), $"bmpmond did not start: {string.Join('\n', process.Stderr)}");

        var router = Send(port, [.. SentryScenario.PeerUp, .. SentryScenario.Malformed, .. SentryScenario.PeerDown]);
        var events = await endpoint.WaitForEventsAsync(e => e.Count >= 3, Wait);
        Assert.True(process.Terminate(Wait), "bmpmond did not exit after SIGTERM");

        Assert.Equal(0, process.ExitCode);
        var evt = events.Single("malformed_message");
        Assert.Equal("error", evt.String("level"));
        Assert.Equal("aot-check", evt.String("environment"));
        Assert.Equal(router, evt.Tag("router"));
        Assert.Equal("route_monitoring", evt.Tag("message_type"));
        Assert.Equal("truncated", evt.Extra("reason").GetString());
        Assert.Equal(SentryScenario.BgpLengthOffset, evt.Extra("offset").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SentryScenario.Malformed), evt.Extra("first_bytes_hex").GetString());
        Assert.Equal("65001", events.Single("peer_up").Tag("peer_as"));
        Assert.Equal(4, events.Single("peer_down").Extra("reason_code").GetInt32());
        Assert.DoesNotContain(process.Stdout.Concat(process.Stderr), l => l.Contains(SentryScenario.PublicKey, StringComparison.Ordinal));
        output.WriteLine($"{(nativeAot ? "Native AOT" : "JIT")}: {events.Count} events, {endpoint.Requests.Count} requests");
    }

    /// <summary>Native AOT keeps stack trace metadata: an exception's frames still name bmpmond's methods.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Error_with_an_exception_reaches_the_dsn_host_with_its_stack(bool nativeAot)
    {
        if (!TryBinary(nativeAot, out var binary))
        {
            return;
        }

        using var endpoint = SentryEndpoint.Start();
        var port = TestDaemon.FreePort();
        using var process = BmpmondProcess.Start(binary, _folder, new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = "jsonl:/dev/full",
            ["BMPMOND_SENTRY_DSN"] = endpoint.Dsn(SentryScenario.PublicKey, SentryScenario.Project),
        });
        Assert.True(process.WaitForLog("listener_started", Wait), $"bmpmond did not start: {string.Join('\n', process.Stderr)}");

        Send(port, SentryScenario.PeerUp);
        Assert.True(process.Terminate(Wait), "bmpmond did not exit after SIGTERM");

        Assert.Equal(1, process.ExitCode);
        SentryEventJson.AssertOutputFailedWithStack(await endpoint.WaitForEventsAsync(e => e.Any(x => x.Tag("event") == "output_failed"), Wait));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Without_bmpmond_sentry_dsn_nothing_is_sent_even_with_sentry_dsn_set(bool nativeAot)
    {
        if (!TryBinary(nativeAot, out var binary))
        {
            return;
        }

        // SENTRY_DSN is the SDK's own fallback when it starts without a DSN: only an SDK that is
        // never started sends nothing here.
        using var endpoint = SentryEndpoint.Start();
        var port = TestDaemon.FreePort();
        using var process = BmpmondProcess.Start(binary, _folder, new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = "null",
            ["SENTRY_DSN"] = endpoint.Dsn(SentryScenario.PublicKey, SentryScenario.Project),
        });
        Assert.True(process.WaitForLog("listener_started", Wait), $"bmpmond did not start: {string.Join('\n', process.Stderr)}");

        Send(port, [.. SentryScenario.PeerUp, .. SentryScenario.Malformed, .. SentryScenario.PeerDown]);
        Assert.True(process.WaitForLog("router_disconnected", Wait), "no router_disconnected line");
        Assert.True(process.Terminate(Wait), "bmpmond did not exit after SIGTERM");

        Assert.Equal(0, process.ExitCode);
        Assert.Contains(process.Stdout, l => l.Contains("\"event\":\"malformed_message\"", StringComparison.Ordinal));
        Assert.Empty(endpoint.Requests);
    }

    /// <summary>The binary to run (null: the JIT build); false when the Native AOT one is not wanted here.</summary>
    private bool TryBinary(bool nativeAot, out string? binary)
    {
        binary = null;
        if (!nativeAot)
        {
            return true;
        }

        if (!NativeAotBinary.Wanted)
        {
            output.WriteLine("skipped: the Native AOT binary is published only with CI=true or BMPMON_AOT_TESTS=1");
            return false;
        }

        binary = NativeAotBinary.Get(output);
        return true;
    }

    /// <summary>Sends <paramref name="bytes"/> as a router, closes, waits for the daemon's FIN; returns the router as the daemon names it.</summary>
    private static string Send(int port, byte[] bytes)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, port);
        var local = (IPEndPoint)client.LocalEndPoint!;
        client.Send(bytes);
        client.Shutdown(SocketShutdown.Send);
        client.ReceiveTimeout = 10_000;
        try
        {
            while (client.Receive(new byte[64]) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }

        return string.Create(CultureInfo.InvariantCulture, $"{local.Address}:{local.Port}");
    }
}
