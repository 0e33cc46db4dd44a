using System.Globalization;
using System.Text.Json;
using Bmpmon.Tests.Daemon;
using Bmpmond;
using Sentry;

namespace Bmpmon.Tests.Telemetry;

/// <summary>
/// The scenario run once through an in-process daemon whose DSN points at a local endpoint, at DEBUG
/// (the most log output) and with an environment name: what the endpoint received.
/// </summary>
public sealed class SentryScenarioRun : IAsyncLifetime
{
    public const string Environment = "bmpmond-test";

    private readonly SentryEndpoint _endpoint = SentryEndpoint.Start();

    internal SentryRun Run { get; private set; } = null!;

    internal List<JsonElement> Events { get; private set; } = [];

    internal IReadOnlyList<SentryRequest> Requests => _endpoint.Requests;

    public async Task InitializeAsync()
    {
        Run = await SentryScenario.RunAsync(
            SentryScenario.Dsn(_endpoint),
            ("BMPMOND_SENTRY_ENVIRONMENT", Environment),
            ("BMPMOND_LOG_LEVEL", "DEBUG"));

        // The daemon flushed before it stopped; the wait only covers a slow machine.
        Events = await _endpoint.WaitForEventsAsync(e => e.Count >= 4, TimeSpan.FromSeconds(10));
    }

    public Task DisposeAsync()
    {
        _endpoint.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Sentry end to end (issue 4): with BMPMOND_SENTRY_DSN set, malformed messages, peer up/down and
/// ERROR log lines arrive at the DSN's host as Sentry events carrying their context; without it the
/// SDK is never started and nothing is sent; the DSN's key never reaches the log.
/// </summary>
[Collection(SentryCollection.Name)]
public sealed class SentryDaemonTests(SentryScenarioRun scenario) : IClassFixture<SentryScenarioRun>
{
    [Fact]
    public void Events_go_to_the_dsn_project_as_gzip_envelopes_with_the_dsn_key()
    {
        Assert.True(scenario.Run.SdkEnabled);
        Assert.NotEmpty(scenario.Requests);
        Assert.All(scenario.Requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal($"/api/{SentryScenario.Project}/envelope/", r.Path);
            Assert.Contains($"sentry_key={SentryScenario.PublicKey}", r.Auth, StringComparison.Ordinal);
        });

        // Four events, one per log line Sentry is meant to get; nothing else (no sessions, no client reports).
        Assert.Equal(["event"], scenario.Requests.SelectMany(r => r.Envelope!.Items).Select(i => i.Type).Distinct());
        Assert.Equal(["framing_lost", "malformed_message", "peer_down", "peer_up"], scenario.Events.Select(e => e.Tag("event")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Malformed_message_is_an_error_event_with_router_message_type_reason_offset_and_hex()
    {
        var evt = scenario.Events.Single("malformed_message");
        var line = Assert.Single(scenario.Run.Logs("malformed_message"));

        Assert.Equal("error", evt.String("level"));
        Assert.Equal(scenario.Run.PeerRouter, evt.Tag("router"));
        Assert.Equal("route_monitoring", evt.Tag("message_type"));

        // The UPDATE's length field was set past the message's end: the decoder says so, at that field.
        Assert.Equal("truncated", evt.Extra("reason").GetString());
        Assert.Equal("BGP message length", evt.Extra("where").GetString());
        Assert.Equal(SentryScenario.BgpLengthOffset, evt.Extra("offset").GetInt32());
        Assert.Equal(SentryScenario.PeerUp.Length, evt.Extra("stream_offset").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SentryScenario.Malformed), evt.Extra("first_bytes_hex").GetString());

        // The same context as the ERROR line the operator reads.
        Assert.Equal(line.GetProperty("router").GetString(), evt.Tag("router"));
        Assert.Equal(line.GetProperty("reason").GetString(), evt.Extra("reason").GetString());
        Assert.Equal(line.GetProperty("offset").GetInt32(), evt.Extra("offset").GetInt32());
        Assert.Equal(line.GetProperty("first_bytes_hex").GetString(), evt.Extra("first_bytes_hex").GetString());

        Assert.Contains(scenario.Run.PeerRouter, evt.GetProperty("logentry").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["malformed_message", scenario.Run.PeerRouter, "route_monitoring"], evt.GetProperty("fingerprint").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void Peer_up_and_peer_down_are_events_with_router_peer_address_as_and_reason_code()
    {
        var up = scenario.Events.Single("peer_up");
        Assert.Equal("info", up.String("level"));
        Assert.Equal(scenario.Run.PeerRouter, up.Tag("router"));
        Assert.Equal("192.0.2.2", up.Tag("peer_address"));
        Assert.Equal("65001", up.Tag("peer_as"));

        var down = scenario.Events.Single("peer_down");
        Assert.Equal("warning", down.String("level"));
        Assert.Equal(scenario.Run.PeerRouter, down.Tag("router"));
        Assert.Equal("192.0.2.2", down.Tag("peer_address"));
        Assert.Equal("65001", down.Tag("peer_as"));
        Assert.Equal(4, down.Extra("reason_code").GetInt32());
        var line = Assert.Single(scenario.Run.Logs("peer_down"));
        Assert.Equal(line.GetProperty("reason_text").GetString(), down.Extra("reason_text").GetString());
        Assert.Equal("remote system closed the session without a NOTIFICATION", down.Extra("reason_text").GetString());

        // The rest of each line rides along as extras: the BGP identity of the peer, and for a down
        // the NOTIFICATION fields (none for reason 4) and when it happened.
        Assert.Equal(line.GetProperty("peer_bgp_id").GetString(), down.Extra("peer_bgp_id").GetString());
        Assert.Equal(line.GetProperty("peer_type").GetString(), down.Extra("peer_type").GetString());
        Assert.Equal(JsonValueKind.Null, down.Extra("notification_code").ValueKind);
        Assert.False(string.IsNullOrEmpty(down.Extra("down_at").ToString()));
        var upLine = Assert.Single(scenario.Run.Logs("peer_up"));
        Assert.Equal(upLine.GetProperty("peer_bgp_id").GetString(), up.Extra("peer_bgp_id").GetString());
    }

    [Fact]
    public void Any_other_error_log_line_is_an_error_event_with_its_fields()
    {
        var evt = scenario.Events.Single("framing_lost");
        var line = Assert.Single(scenario.Run.Logs("framing_lost"));

        Assert.Equal("error", evt.String("level"));
        Assert.Equal(scenario.Run.GarbageRouter, evt.Tag("router"));
        Assert.Equal("bad_version", evt.Extra("reason").GetString());
        Assert.Equal(line.GetProperty("reason").GetString(), evt.Extra("reason").GetString());
        Assert.Equal(line.GetProperty("message").GetString(), evt.GetProperty("logentry").GetProperty("message").GetString());
    }

    /// <summary>
    /// Events raised from log lines carry no stack (AttachStacktrace is off: walking it on network
    /// threads costs too much), but an ERROR line with an exception carries that exception's.
    /// </summary>
    [Fact]
    public async Task Error_with_an_exception_carries_the_exception_and_its_stack()
    {
        using var endpoint = SentryEndpoint.Start();
        using (var daemon = new TestDaemon(SentryScenario.Dsn(endpoint), ("BMPMOND_OUTPUT", "jsonl:/dev/full")))
        {
            await daemon.SendAsync(SentryScenario.PeerUp);
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(1, daemon.Stop());
        }

        var events = await endpoint.WaitForEventsAsync(e => e.Any(x => x.Tag("event") == "output_failed"), TimeSpan.FromSeconds(10));
        SentryEventJson.AssertOutputFailedWithStack(events);
        Assert.DoesNotContain(events.Where(e => e.Tag("event") != "output_failed"), e => e.TryGetProperty("exception", out _) || e.TryGetProperty("threads", out _));
    }

    [Fact]
    public void Events_carry_the_environment_and_the_release()
    {
        Assert.All(scenario.Events, e =>
        {
            Assert.Equal(SentryScenarioRun.Environment, e.String("environment"));
            Assert.Equal("bmpmond@" + BuildInfo.Version, e.String("release"));
        });
    }

    /// <summary>
    /// The SDK's default user id, with no file to keep an installation id in, is the first network
    /// interface's MAC address: bmpmond sends no user at all.
    /// </summary>
    [Fact]
    public void Events_carry_no_user_and_no_mac_address()
    {
        var macs = Directory.Exists("/sys/class/net")
            ? Directory.GetDirectories("/sys/class/net").Select(d => Path.Combine(d, "address")).Where(File.Exists)
                .Select(f => File.ReadAllText(f).Trim().Replace(":", "", StringComparison.Ordinal)).Where(m => m.Length == 12 && m != "000000000000").ToList()
            : [];
        Assert.All(scenario.Events, e =>
        {
            Assert.False(e.TryGetProperty("user", out var user) && user.EnumerateObject().Any(), $"user: {user}");
            Assert.All(macs, mac => Assert.DoesNotContain(mac, e.GetRawText(), StringComparison.OrdinalIgnoreCase));
        });
    }

    [Fact]
    public void Dsn_key_never_appears_in_the_log()
    {
        // DEBUG: every line the daemon can write for this traffic, message hex included.
        Assert.Contains(scenario.Run.LogLines, l => l.Contains("\"DEBUG\"", StringComparison.Ordinal));
        Assert.True(scenario.Run.LogLines.Count > 10, $"{scenario.Run.LogLines.Count} log lines");
        Assert.All(scenario.Run.LogLines, l => Assert.DoesNotContain(SentryScenario.PublicKey, l, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Environment_defaults_to_production()
    {
        using var endpoint = SentryEndpoint.Start();
        await SentryScenario.RunAsync(SentryScenario.Dsn(endpoint));

        var events = await endpoint.WaitForEventsAsync(e => e.Count >= 4, TimeSpan.FromSeconds(10));
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.Equal("production", e.String("environment")));
    }

    [Fact]
    public async Task Off_by_default_the_sdk_is_not_started_and_nothing_is_sent()
    {
        using var endpoint = SentryEndpoint.Start();
        var run = await SentryScenario.RunAsync(("BMPMOND_SENTRY_ENVIRONMENT", SentryScenarioRun.Environment), ("BMPMOND_SENTRY_TRACES_SAMPLE_RATE", "1"));
        await Task.Delay(500);

        // The same traffic was logged (so Sentry would have had events to send) ...
        Assert.Single(run.Logs("malformed_message"));
        Assert.Single(run.Logs("peer_up"));
        Assert.Single(run.Logs("framing_lost"));

        // ... but the SDK never ran, and nothing reached the endpoint.
        Assert.False(run.SdkEnabled);
        Assert.False(SentrySdk.IsEnabled);
        Assert.Empty(endpoint.Requests);
    }

    /// <summary>
    /// The daemon itself starts no transactions, so the rate is checked on transactions a test starts
    /// while the daemon's SDK runs: at 0.25 some but not all of 80 are sent, each with the rate in its
    /// trace header and a random draw below it; at the default 0 none is, while events still are.
    /// </summary>
    [Fact]
    public async Task Traces_sample_rate_is_applied_to_transactions()
    {
        const int Transactions = 80;
        Assert.Equal((0, true), await SampledTransactions(null, Transactions));

        var (sampled, eventsArrived) = await SampledTransactions("0.25", Transactions);
        Assert.True(eventsArrived);
        Assert.InRange(sampled, 1, Transactions - 1);
    }

    private static async Task<(int Sampled, bool EventsArrived)> SampledTransactions(string? rate, int count)
    {
        using var endpoint = SentryEndpoint.Start();
        (string, string)[] settings = rate is null ? [SentryScenario.Dsn(endpoint)] : [SentryScenario.Dsn(endpoint), ("BMPMOND_SENTRY_TRACES_SAMPLE_RATE", rate)];
        using (var daemon = new TestDaemon(settings))
        {
            await daemon.SendAsync(SentryScenario.Garbage);
            for (var i = 0; i < count; i++)
            {
                SentrySdk.StartTransaction("sample-rate-probe", "test").Finish();
            }

            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, daemon.Stop());
        }

        var events = await endpoint.WaitForEventsAsync(e => e.Count >= 1, TimeSpan.FromSeconds(10));
        var envelopes = endpoint.Requests.Where(r => r.Envelope!.Items.Any(i => i.Type == "transaction")).ToList();
        foreach (var envelope in envelopes)
        {
            var trace = envelope.Envelope!.Header.GetProperty("trace");
            Assert.Equal(rate, trace.GetProperty("sample_rate").GetString());
            Assert.True(double.Parse(trace.GetProperty("sample_rand").GetString()!, CultureInfo.InvariantCulture) < double.Parse(rate!, CultureInfo.InvariantCulture));
        }

        return (envelopes.Count, events.Count == 1);
    }
}
