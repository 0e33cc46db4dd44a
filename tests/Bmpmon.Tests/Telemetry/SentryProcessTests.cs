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

        using var process = new BmpmondProcess(_folder, binary: null, environment: new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = taken.LocalEndPoint!.ToString()!,
            ["BMPMOND_OUTPUT"] = "null",
            ["BMPMOND_SENTRY_DSN"] = dsn,
        });
        Assert.True(process.WaitForExit(Wait), "bmpmond did not exit");

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(process.OtherLines());
        Assert.StartsWith("bmpmond: BMPMOND_SENTRY_DSN: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(SentryScenario.PublicKey, line, StringComparison.Ordinal);
        Assert.Empty(process.Logs("listener_started"));
        Assert.Empty(endpoint.Requests);
    }

    [Fact]
    public Task Malformed_message_event_reaches_the_dsn_host_jit() => Malformed_message_event_reaches_the_dsn_host(binary: null);

    [NativeAotFact]
    public Task Malformed_message_event_reaches_the_dsn_host_native_aot() => Malformed_message_event_reaches_the_dsn_host(NativeAotBinary.Get(output));

    private async Task Malformed_message_event_reaches_the_dsn_host(string? binary)
    {
        using var endpoint = SentryEndpoint.Start();
        var port = TestDaemon.FreePort();
        using var process = new BmpmondProcess(_folder, binary: binary, environment: new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = "null",
            ["BMPMOND_SENTRY_DSN"] = endpoint.Dsn(SentryScenario.PublicKey, SentryScenario.Project),
            ["BMPMOND_SENTRY_ENVIRONMENT"] = "aot-check",
        });
        process.WaitFor("listener_started", Wait);

        var router = Send(port, [.. SentryScenario.PeerUp, .. SentryScenario.Malformed, .. SentryScenario.PeerDown]);
        var events = await endpoint.WaitForEventsAsync(e => e.Count >= 3, Wait);
        process.Signal(BmpmondProcess.Sigterm);
        Assert.True(process.WaitForExit(Wait), "bmpmond did not exit after SIGTERM");

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
        Assert.DoesNotContain(process.LogLines().Concat(process.OtherLines()), l => l.Contains(SentryScenario.PublicKey, StringComparison.Ordinal));
        output.WriteLine($"{binary ?? "JIT"}: {events.Count} events, {endpoint.Requests.Count} requests");
    }

    /// <summary>Native AOT keeps stack trace metadata: an exception's frames still name bmpmond's methods.</summary>
    [Fact]
    public Task Error_with_an_exception_reaches_the_dsn_host_with_its_stack_jit() => Error_with_an_exception_reaches_the_dsn_host_with_its_stack(binary: null);

    [NativeAotFact]
    public Task Error_with_an_exception_reaches_the_dsn_host_with_its_stack_native_aot() => Error_with_an_exception_reaches_the_dsn_host_with_its_stack(NativeAotBinary.Get(output));

    private async Task Error_with_an_exception_reaches_the_dsn_host_with_its_stack(string? binary)
    {
        using var endpoint = SentryEndpoint.Start();
        var port = TestDaemon.FreePort();
        using var process = new BmpmondProcess(_folder, binary: binary, environment: new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = "jsonl:/dev/full",
            ["BMPMOND_SENTRY_DSN"] = endpoint.Dsn(SentryScenario.PublicKey, SentryScenario.Project),
        });
        process.WaitFor("listener_started", Wait);

        Send(port, SentryScenario.PeerUp);
        process.Signal(BmpmondProcess.Sigterm);
        Assert.True(process.WaitForExit(Wait), "bmpmond did not exit after SIGTERM");

        Assert.Equal(1, process.ExitCode);
        SentryEventJson.AssertOutputFailedWithStack(await endpoint.WaitForEventsAsync(e => e.Any(x => x.Tag("event") == "output_failed"), Wait));
    }

    [Fact]
    public void Without_bmpmond_sentry_dsn_nothing_is_sent_even_with_sentry_dsn_set_jit() => Without_bmpmond_sentry_dsn_nothing_is_sent_even_with_sentry_dsn_set(binary: null);

    [NativeAotFact]
    public void Without_bmpmond_sentry_dsn_nothing_is_sent_even_with_sentry_dsn_set_native_aot() => Without_bmpmond_sentry_dsn_nothing_is_sent_even_with_sentry_dsn_set(NativeAotBinary.Get(output));

    private void Without_bmpmond_sentry_dsn_nothing_is_sent_even_with_sentry_dsn_set(string? binary)
    {
        // SENTRY_DSN is the SDK's own fallback when it starts without a DSN: only an SDK that is
        // never started sends nothing here.
        using var endpoint = SentryEndpoint.Start();
        var port = TestDaemon.FreePort();
        using var process = new BmpmondProcess(_folder, binary: binary, environment: new Dictionary<string, string>
        {
            ["BMPMOND_LISTEN"] = $"127.0.0.1:{port}",
            ["BMPMOND_OUTPUT"] = "null",
            ["SENTRY_DSN"] = endpoint.Dsn(SentryScenario.PublicKey, SentryScenario.Project),
        });
        process.WaitFor("listener_started", Wait);

        Send(port, [.. SentryScenario.PeerUp, .. SentryScenario.Malformed, .. SentryScenario.PeerDown]);
        process.WaitFor("router_disconnected", Wait);
        process.Signal(BmpmondProcess.Sigterm);
        Assert.True(process.WaitForExit(Wait), "bmpmond did not exit after SIGTERM");

        Assert.Equal(0, process.ExitCode);
        Assert.NotEmpty(process.Logs("malformed_message"));
        Assert.Empty(endpoint.Requests);
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
