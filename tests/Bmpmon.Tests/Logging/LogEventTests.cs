using System.Text.Json;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;

namespace Bmpmon.Tests.Logging;

/// <summary>Every event of <see cref="Log"/>: one JSON line, its level and name, each field with its JSON type.</summary>
public class LogEventTests
{
    private static JsonElement Info(Action<ILogger> log, string eventName) => LogCapture.Single(LogLevel.Information, log, "INFO", eventName);

    private static void Fields(JsonElement line, params (string Name, object? Value)[] expected)
    {
        foreach (var (name, value) in expected)
        {
            Assert.True(line.TryGetProperty(name, out var actual), $"missing field {name} in {line}");
            switch (value)
            {
                case null:
                    Assert.Equal(JsonValueKind.Null, actual.ValueKind);
                    break;
                case string s:
                    Assert.Equal(JsonValueKind.String, actual.ValueKind);
                    Assert.Equal(s, actual.GetString());
                    break;
                case bool b:
                    Assert.Equal(b, actual.GetBoolean());
                    break;
                case double d:
                    Assert.Equal(JsonValueKind.Number, actual.ValueKind);
                    Assert.Equal(d, actual.GetDouble());
                    break;
                default:
                    Assert.Equal(JsonValueKind.Number, actual.ValueKind);
                    Assert.Equal(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), actual.GetInt64());
                    break;
            }
        }
    }

    [Fact]
    public void ListenerStarted()
    {
        var line = Info(l => Log.ListenerStarted(l, "0.0.0.0:11019"), "listener_started");
        Assert.Equal("Listening for BMP on 0.0.0.0:11019", line.GetProperty("message").GetString());
        Fields(line, ("endpoint", "0.0.0.0:11019"));
    }

    [Fact]
    public void RouterConnected_has_the_issue_wording_and_the_port()
    {
        var line = Info(l => Log.RouterConnected(l, "192.0.2.1", 51234), "router_connected");
        Assert.Equal("BMP peer 192.0.2.1 has established a session", line.GetProperty("message").GetString());
        Fields(line, ("address", "192.0.2.1"), ("port", 51234));
    }

    [Fact]
    public void RouterDisconnected()
    {
        var since = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var line = Info(l => Log.RouterDisconnected(l, "192.0.2.1", 51234, "closed by peer", 12_345_678_901, 98_765_432_109, since, since.AddHours(1), 1_200_000, 1_199_000), "router_disconnected");
        Fields(line, ("address", "192.0.2.1"), ("port", 51234), ("reason", "closed by peer"), ("messages", 12_345_678_901L), ("bytes", 98_765_432_109L),
            ("connected_since", "2024-05-01T12:00:00Z"), ("last_message", "2024-05-01T13:00:00Z"), ("routes_received", 1_200_000), ("routes_processed", 1_199_000));
    }

    [Fact]
    public void RouterRefused_is_a_warning()
    {
        var line = LogCapture.Single(LogLevel.Information, l => Log.RouterRefused(l, "198.51.100.7", "not in BMPMOND_ALLOWED_ROUTERS"), "WARNING", "router_refused");
        Fields(line, ("address", "198.51.100.7"), ("reason", "not in BMPMOND_ALLOWED_ROUTERS"));
    }

    [Fact]
    public void RouterInitiation_with_and_without_names()
    {
        var line = Info(l => Log.RouterInitiation(l, "192.0.2.1", "edge1", "Cisco IOS XR \"7.9\"\nline two"), "router_initiation");
        Fields(line, ("address", "192.0.2.1"), ("sys_name", "edge1"), ("sys_descr", "Cisco IOS XR \"7.9\"\nline two"));
        var empty = Info(l => Log.RouterInitiation(l, "192.0.2.1", null, null), "router_initiation");
        Fields(empty, ("sys_name", null), ("sys_descr", null));
    }

    [Fact]
    public void RouterTermination()
    {
        var line = Info(l => Log.RouterTermination(l, "192.0.2.1", null), "router_termination");
        Fields(line, ("address", "192.0.2.1"), ("reason", null));
    }

    [Fact]
    public void PeerUp()
    {
        var line = Info(l => Log.PeerUp(l, "192.0.2.1", "2001:db8::2", 4_200_000_000, "10.0.0.2", "global", "0:0", "2001:db8::1", 179, 40123, "ipv4-unicast,ipv6-unicast,l2vpn-evpn", "ipv4-unicast:receive",
            DateTime.UnixEpoch.AddSeconds(1_700_000_000), null), "peer_up");
        Fields(line, ("router", "192.0.2.1"), ("peer_address", "2001:db8::2"), ("peer_as", 4_200_000_000L), ("peer_bgp_id", "10.0.0.2"),
            ("peer_type", "global"), ("distinguisher", "0:0"), ("local_address", "2001:db8::1"), ("local_port", 179), ("remote_port", 40123),
            ("families", "ipv4-unicast,ipv6-unicast,l2vpn-evpn"), ("add_path", "ipv4-unicast:receive"), ("up_since", "2023-11-14T22:13:20Z"), ("capabilities", null));
    }

    [Fact]
    public void PeerDown_with_and_without_notification()
    {
        var at = DateTime.UnixEpoch.AddSeconds(1_700_000_060);
        var line = Info(l => Log.PeerDown(l, "192.0.2.1", "10.0.0.2", 65001, "10.0.0.2", "global", "0:0", 1, "local system closed with notification", 6, 2, "administrative shutdown", "maintenance", null, at, at.AddMinutes(-1)), "peer_down");
        Fields(line, ("router", "192.0.2.1"), ("peer_address", "10.0.0.2"), ("peer_as", 65001), ("reason_code", 1),
            ("reason_text", "local system closed with notification"), ("notification_code", 6), ("notification_subcode", 2), ("notification_text", "administrative shutdown"),
            ("shutdown_communication", "maintenance"), ("fsm_event_code", null), ("down_at", "2023-11-14T22:14:20Z"), ("up_since", "2023-11-14T22:13:20Z"));
        var bare = Info(l => Log.PeerDown(l, "192.0.2.1", "10.0.0.2", 65001, "10.0.0.2", "global", "0:0", 4, "remote system closed without notification", null, null, null, null, null, at, null), "peer_down");
        Fields(bare, ("reason_code", 4), ("notification_code", null), ("notification_subcode", null), ("notification_text", null), ("up_since", null));
    }

    [Fact]
    public void MalformedMessage_is_an_error_with_offsets_and_hex()
    {
        var hex = Hex.FirstBytes(new byte[300]);
        var line = LogCapture.Single(LogLevel.Information, l => Log.MalformedMessage(l, "192.0.2.1", "route_monitoring", "attribute length exceeds path attributes", "in MP_REACH_NLRI", 87, 1_048_576, hex), "ERROR", "malformed_message");
        Fields(line, ("router", "192.0.2.1"), ("message_type", "route_monitoring"), ("reason", "attribute length exceeds path attributes"),
            ("where", "in MP_REACH_NLRI"), ("offset", 87), ("stream_offset", 1_048_576), ("first_bytes_hex", hex));
        Assert.Equal(512, line.GetProperty("first_bytes_hex").GetString()!.Length);
    }

    [Fact]
    public void FramingLost()
    {
        var line = LogCapture.Single(LogLevel.Information, l => Log.FramingLost(l, "192.0.2.1", "BMP version 9", "in common header", 2048, 2048, "09000000"), "ERROR", "framing_lost");
        Fields(line, ("router", "192.0.2.1"), ("reason", "BMP version 9"), ("where", "in common header"), ("stream_offset", 2048), ("message_offset", 2048), ("first_bytes_hex", "09000000"));
    }

    [Fact]
    public void Backpressure_started_and_ended()
    {
        var started = LogCapture.Single(LogLevel.Information, l => Log.BackpressureStarted(l, 16_842_752, 16_777_216, 201_326_592), "WARNING", "backpressure_started");
        Assert.Equal("Output is behind (16842752 bytes pending, read-ahead window 16777216, limit 201326592): pausing reads from routers until it catches up", started.GetProperty("message").GetString());
        Fields(started, ("pending_bytes", 16_842_752), ("window_bytes", 16_777_216), ("limit_bytes", 201_326_592));
        var ended = Info(l => Log.BackpressureEnded(l, 17.5, 31, 16_908_288, 16_777_216, 6_553_600), "backpressure_ended");
        Assert.Equal("Output caught up after 17.5 s (31 pauses, at most 16908288 bytes pending)", ended.GetProperty("message").GetString());
        Fields(ended, ("seconds", 17.5), ("pauses", 31), ("peak_pending_bytes", 16_908_288), ("window_bytes", 16_777_216), ("drain_bytes_per_second", 6_553_600.0));
    }

    [Fact]
    public void Database_writer_time_names_each_part_and_its_waits()
    {
        var line = Info(l => Log.DatabaseWriterTime(l, 34, 1_250_000, 14.9, 5.1, 14.2, 2.6, 8.3), "database_writer_time");
        Fields(
            line,
            ("commits", 34),
            ("routes", 1_250_000),
            ("state_seconds", 14.9),
            ("state_waited_seconds", 5.1),
            ("history_seconds", 14.2),
            ("history_waited_seconds", 2.6),
            ("attributes_seconds", 8.3));
    }

    [Fact]
    public void RouteStats_nests_the_family_counters()
    {
        var families = new FamilyCounters(("ipv4-unicast", 1_100_000, 3), ("l2vpn-evpn", 250_000, 0));
        var since = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var line = Info(l => Log.RouteStats(l, "192.0.2.1", 90_000, 1_350_000, 1_340_000, 1_349_000, 1_000, 512_345.5, 32_768, 2, 65_536, 16_777_216, families,
            "edge1", "IOS XR", since, since.AddSeconds(30.5), 9_000_000, false), "route_stats");
        Fields(line, ("router", "192.0.2.1"), ("messages", 90_000), ("routes_received", 1_350_000), ("routes_processed", 1_340_000), ("routes_learned", 1_349_000),
            ("routes_withdrawn", 1_000), ("routes_per_second", 512_345.5), ("router_queue_bytes", 32_768), ("router_queue_batches", 2),
            ("queue_bytes", 65_536), ("queue_window_bytes", 16_777_216), ("sys_name", "edge1"), ("sys_descr", "IOS XR"),
            ("connected_since", "2024-05-01T12:00:00Z"), ("last_message", "2024-05-01T12:00:30.5Z"), ("bytes", 9_000_000), ("final", false));
        var nested = line.GetProperty("families");
        Assert.Equal(JsonValueKind.Object, nested.ValueKind);
        Assert.Equal(1_100_000, nested.GetProperty("ipv4-unicast").GetProperty("learned").GetInt64());
        Assert.Equal(0, nested.GetProperty("l2vpn-evpn").GetProperty("withdrawn").GetInt64());
    }

    [Fact]
    public void MessageReceived_is_debug_only()
    {
        var line = LogCapture.Single(LogLevel.Debug, l => Log.MessageReceived(l, "192.0.2.1", "route_monitoring", 4096, 87, "0300000057"), "DEBUG", "bmp_message");
        Fields(line, ("router", "192.0.2.1"), ("message_type", "route_monitoring"), ("stream_offset", 4096), ("length", 87), ("first_bytes_hex", "0300000057"));
        Assert.Empty(LogCapture.Lines(LogLevel.Information, l => Log.MessageReceived(l, "192.0.2.1", "route_monitoring", 4096, 87, "03")));
    }

    [Fact]
    public void Shutdown_events()
    {
        Fields(Info(l => Log.ShutdownStarted(l, "SIGTERM"), "shutdown_started"), ("signal", "SIGTERM"));
        Fields(LogCapture.Single(LogLevel.Information, l => Log.DrainTimedOut(l, 4096, 30.0), "WARNING", "drain_timed_out"), ("pending_bytes", 4096), ("seconds", 30.0));
        Fields(Info(l => Log.ShutdownComplete(l, 0, 0.25), "shutdown_complete"), ("exit_code", 0), ("seconds", 0.25));
    }

    [Fact]
    public void OutputFailed_renders_the_exception()
    {
        var error = Thrown(new IOException("disk full", new UnauthorizedAccessException("inner cause")));
        var line = LogCapture.Single(LogLevel.Information, l => Log.OutputFailed(l, error, "jsonl:/var/lib/bmpmond/routes.jsonl"), "ERROR", "output_failed");
        Fields(line, ("output", "jsonl:/var/lib/bmpmond/routes.jsonl"));
        var exception = line.GetProperty("exception");
        Assert.Equal("System.IO.IOException", exception.GetProperty("type").GetString());
        Assert.Equal("disk full", exception.GetProperty("message").GetString());
        Assert.Contains(nameof(Thrown), exception.GetProperty("stack_trace").GetString(), StringComparison.Ordinal);
        Assert.Equal("System.UnauthorizedAccessException", exception.GetProperty("inner").GetProperty("type").GetString());
    }

    [Fact]
    public void SessionFailed_renders_the_exception()
    {
        var line = LogCapture.Single(LogLevel.Information, l => Log.SessionFailed(l, Thrown(new InvalidOperationException("bug")), "192.0.2.1"), "ERROR", "session_failed");
        Fields(line, ("router", "192.0.2.1"));
        Assert.Equal("bug", line.GetProperty("exception").GetProperty("message").GetString());
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>A stand-in for the daemon's per-family counters.</summary>
    private sealed class FamilyCounters(params (string Family, long Learned, long Withdrawn)[] families) : IJsonLogValue
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            foreach (var (family, learned, withdrawn) in families)
            {
                writer.WriteStartObject(family);
                writer.WriteNumber("learned", learned);
                writer.WriteNumber("withdrawn", withdrawn);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }
    }
}
