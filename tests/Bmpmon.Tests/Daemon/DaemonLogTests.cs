using System.Text.Json;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// The daemon's log lines for a real session over loopback (no direct <c>Log.*</c> calls): router
/// and peer events with the state the issue names, <c>route_stats</c> with exact counts for a
/// stream whose counts are known, one DEBUG <c>bmp_message</c> line per message, and the bytes of a
/// lost framing.
/// </summary>
public sealed class DaemonLogTests
{
    [Fact]
    public async Task Router_initiation_and_peer_up_and_down_carry_the_router_and_peer_state()
    {
        using var daemon = new TestDaemon();
        await daemon.SendAsync(KnownBmpStream.Bytes(KnownBmpStream.All));
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        var initiation = Assert.Single(daemon.Logs("router_initiation"));
        Assert.Equal(KnownBmpStream.SysName, initiation.GetProperty("sys_name").GetString());
        Assert.Equal(KnownBmpStream.SysDescr, initiation.GetProperty("sys_descr").GetString());

        var up = Assert.Single(daemon.Logs("peer_up"));
        Assert.Equal("BGP peer 192.0.2.2 AS65001 is up on " + up.GetProperty("router").GetString(), up.GetProperty("message").GetString());
        Assert.Equal("global", up.GetProperty("peer_type").GetString());
        Assert.Equal("0:0", up.GetProperty("distinguisher").GetString());
        Assert.Equal(65001u, up.GetProperty("peer_as").GetUInt32());
        Assert.Equal("192.0.2.2", up.GetProperty("peer_bgp_id").GetString());
        Assert.Equal("0.0.0.1", up.GetProperty("local_address").GetString());
        Assert.Equal(179, up.GetProperty("local_port").GetInt32());
        Assert.Equal(40000, up.GetProperty("remote_port").GetInt32());
        Assert.Equal("ipv4-unicast,ipv6-unicast", up.GetProperty("families").GetString());
        Assert.Equal("ipv4-unicast", up.GetProperty("add_path").GetString());
        Assert.Equal(Utc(KnownBmpStream.UpSeconds), up.GetProperty("up_since").GetDateTime());
        var capabilities = up.GetProperty("capabilities");
        Assert.True(capabilities.GetProperty("four_octet_as").GetBoolean());
        Assert.Equal(["ipv4-unicast"], capabilities.GetProperty("add_path_adj_rib_in").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["ipv4-unicast", "ipv6-unicast"], capabilities.GetProperty("families").EnumerateArray().Select(e => e.GetString()));

        var down = Assert.Single(daemon.Logs("peer_down"));
        Assert.Equal("INFO", down.GetProperty("level").GetString());
        Assert.Equal("192.0.2.2", down.GetProperty("peer_address").GetString());
        Assert.Equal("192.0.2.2", down.GetProperty("peer_bgp_id").GetString());
        Assert.Equal(1, down.GetProperty("reason_code").GetInt32());
        Assert.Equal("local system closed the session with a NOTIFICATION", down.GetProperty("reason_text").GetString());
        Assert.EndsWith(": local system closed the session with a NOTIFICATION", down.GetProperty("message").GetString());
        Assert.Equal(6, down.GetProperty("notification_code").GetInt32());
        Assert.Equal(2, down.GetProperty("notification_subcode").GetInt32());
        Assert.Equal("Cease: Administrative Shutdown", down.GetProperty("notification_text").GetString());
        Assert.Equal(KnownBmpStream.ShutdownCommunication, down.GetProperty("shutdown_communication").GetString());
        Assert.Equal(JsonValueKind.Null, down.GetProperty("fsm_event_code").ValueKind);
        Assert.Equal(Utc(KnownBmpStream.DownSeconds), down.GetProperty("down_at").GetDateTime());
        Assert.Equal(Utc(KnownBmpStream.UpSeconds), down.GetProperty("up_since").GetDateTime());

        var termination = Assert.Single(daemon.Logs("router_termination"));
        Assert.Equal("Session administratively closed", termination.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData(2, new byte[] { 0, 24 }, "local system closed the session without a NOTIFICATION")]
    [InlineData(3, null, "remote system closed the session with a NOTIFICATION")]
    [InlineData(4, new byte[0], "remote system closed the session without a NOTIFICATION")]
    [InlineData(5, new byte[0], "peer de-configured")]
    public async Task Peer_down_reason_text_is_rfc_7854_wording_and_a_peer_never_up_has_no_up_since(byte reason, byte[]? data, string text)
    {
        // Reason 3 carries the remote system's NOTIFICATION: Hold Timer Expired (4/0).
        data ??= Decoding.BmpBuilder.Bgp(3, [4, 0]);
        using var daemon = new TestDaemon();
        await daemon.SendAsync(Decoding.BmpBuilder.PeerDown(reason, data));
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        var down = Assert.Single(daemon.Logs("peer_down"));
        Assert.Equal(reason, down.GetProperty("reason_code").GetInt32());
        Assert.Equal(text, down.GetProperty("reason_text").GetString());
        Assert.Equal(JsonValueKind.Null, down.GetProperty("up_since").ValueKind);
        if (reason == 2)
        {
            Assert.Equal(24, down.GetProperty("fsm_event_code").GetInt32());
        }

        if (reason == 3)
        {
            Assert.Equal("Hold Timer Expired", down.GetProperty("notification_text").GetString());
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, down.GetProperty("notification_code").ValueKind);
        }
    }

    [Fact]
    public async Task Route_stats_carry_exact_counts_per_family_the_routes_processed_and_the_router_state()
    {
        using var daemon = new TestDaemon(("BMPMOND_STATS_INTERVAL", "1"));
        var before = DateTime.UtcNow;
        using (var router = await daemon.OpenAndSendAsync(KnownBmpStream.Bytes(KnownBmpStream.Session)))
        {
            // A periodic line once the writer has taken every route of the session.
            var periodic = await WaitForLog(daemon, l => l.GetProperty("event").GetString() == "route_stats"
                && l.GetProperty("routes_processed").GetInt64() == KnownBmpStream.Routes);
            Assert.False(periodic.GetProperty("final").GetBoolean());
            AssertCounts(periodic, messages: KnownBmpStream.Session.Length);
            Assert.Equal(0, periodic.GetProperty("router_queue_bytes").GetInt64());
            Assert.Equal(0, periodic.GetProperty("router_queue_batches").GetInt64());
            Assert.True(periodic.GetProperty("queue_window_bytes").GetInt64() > 0);
            Assert.Equal(KnownBmpStream.SysName, periodic.GetProperty("sys_name").GetString());
            Assert.Equal(KnownBmpStream.SysDescr, periodic.GetProperty("sys_descr").GetString());
            var connected = periodic.GetProperty("connected_since").GetDateTime();
            var lastMessage = periodic.GetProperty("last_message").GetDateTime();
            Assert.Equal(DateTimeKind.Utc, connected.Kind);
            Assert.InRange(connected, before.AddSeconds(-1), lastMessage);
            Assert.InRange(lastMessage, connected, DateTime.UtcNow);
            Assert.Equal(KnownBmpStream.Bytes(KnownBmpStream.Session).Length, periodic.GetProperty("bytes").GetInt64());

            await router.SendAsync(KnownBmpStream.Termination);
            router.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        }

        daemon.Stop();
        var lines = daemon.Logs();
        var routerName = Assert.Single(daemon.Logs("router_initiation")).GetProperty("address").GetString();

        // The session's last line comes as it ends, before router_disconnected, and is the router's last.
        var final = Assert.Single(lines, l => l.GetProperty("event").GetString() == "route_stats" && l.GetProperty("final").GetBoolean());
        Assert.Equal(routerName, final.GetProperty("router").GetString());
        AssertCounts(final, messages: KnownBmpStream.All.Length);
        Assert.Equal(KnownBmpStream.Routes, final.GetProperty("routes_processed").GetInt64());
        var disconnected = Assert.Single(daemon.Logs("router_disconnected"));
        Assert.True(lines.IndexOf(final) < lines.FindIndex(l => l.GetProperty("event").GetString() == "router_disconnected"));
        Assert.DoesNotContain(lines.Skip(lines.IndexOf(final) + 1), l => l.GetProperty("event").GetString() == "route_stats");

        Assert.Equal(final.GetProperty("connected_since").GetString(), disconnected.GetProperty("connected_since").GetString());
        Assert.Equal(final.GetProperty("last_message").GetString(), disconnected.GetProperty("last_message").GetString());
        Assert.Equal(KnownBmpStream.Routes, disconnected.GetProperty("routes_received").GetInt64());
        Assert.Equal(KnownBmpStream.Routes, disconnected.GetProperty("routes_processed").GetInt64());
        Assert.Equal(KnownBmpStream.All.Length, disconnected.GetProperty("messages").GetInt64());
    }

    [Fact]
    public async Task A_session_shorter_than_the_stats_interval_still_gets_its_route_stats_line()
    {
        using var daemon = new TestDaemon(("BMPMOND_STATS_INTERVAL", "3600"));
        await daemon.SendAsync(KnownBmpStream.Bytes(KnownBmpStream.All));
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        var stats = Assert.Single(daemon.Logs("route_stats"));
        Assert.True(stats.GetProperty("final").GetBoolean());
        AssertCounts(stats, messages: KnownBmpStream.All.Length);
    }

    [Fact]
    public async Task Null_output_counts_every_decoded_route_as_processed()
    {
        using var daemon = new TestDaemon(("BMPMOND_OUTPUT", "null"), ("BMPMOND_STATS_INTERVAL", "3600"));
        await daemon.SendAsync(KnownBmpStream.Bytes(KnownBmpStream.All));
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        var stats = Assert.Single(daemon.Logs("route_stats"));
        AssertCounts(stats, messages: KnownBmpStream.All.Length);
        Assert.Equal(KnownBmpStream.Routes, stats.GetProperty("routes_processed").GetInt64());
        Assert.Equal(0, stats.GetProperty("router_queue_batches").GetInt64());
    }

    [Fact]
    public async Task Debug_logs_one_bmp_message_line_per_message_with_its_first_256_bytes_and_info_none()
    {
        // A sysDescr of 400 bytes makes the Initiation longer than the 256 bytes logged.
        var longInitiation = Decoding.BmpBuilder.Message(4, [0, 1, 1, 144, .. Enumerable.Range(0, 400).Select(i => (byte)('a' + (i % 26)))]);
        byte[][] messages = [longInitiation, .. KnownBmpStream.All.Skip(1)];

        // Seven messages: far below the log writer's DEBUG budget (1 MiB queued), so none is dropped.
        using (var debug = new TestDaemon(("BMPMOND_LOG_LEVEL", "DEBUG")))
        {
            await debug.SendAsync(KnownBmpStream.Bytes(messages));
            await debug.WaitIdleAsync(TimeSpan.FromSeconds(10));
            debug.Stop();

            var lines = debug.Logs("bmp_message");
            Assert.Equal(messages.Length, lines.Count);
            Assert.Empty(debug.Logs("log_lines_dropped"));
            long offset = 0;
            for (var i = 0; i < messages.Length; i++)
            {
                Assert.Equal("DEBUG", lines[i].GetProperty("level").GetString());
                Assert.Equal(messages[i].Length, lines[i].GetProperty("length").GetInt32());
                Assert.Equal(offset, lines[i].GetProperty("stream_offset").GetInt64());
                Assert.Equal(Convert.ToHexStringLower(messages[i].AsSpan(0, Math.Min(256, messages[i].Length))), lines[i].GetProperty("first_bytes_hex").GetString());
                offset += messages[i].Length;
            }

            Assert.Equal(512, lines[0].GetProperty("first_bytes_hex").GetString()!.Length);
            Assert.Equal(
                ["initiation", "peer_up", "route_monitoring", "route_monitoring", "route_monitoring", "peer_down", "termination"],
                lines.Select(l => l.GetProperty("message_type").GetString()));
        }

        using var info = new TestDaemon();
        await info.SendAsync(KnownBmpStream.Bytes(messages));
        await info.WaitIdleAsync(TimeSpan.FromSeconds(10));
        info.Stop();
        Assert.Empty(info.Logs("bmp_message"));
        Assert.DoesNotContain(info.Logs(), l => l.GetProperty("level").GetString() == "DEBUG");
        Assert.Single(info.Logs("peer_up"));
    }

    [Fact]
    public async Task Framing_lost_logs_the_first_256_bytes_from_the_header_that_could_not_be_framed()
    {
        var good = KnownBmpStream.Bytes(KnownBmpStream.Session);
        var garbage = new byte[1000];
        new Random(7).NextBytes(garbage);
        garbage[0] = 9; // BMP version 9
        using var daemon = new TestDaemon();
        await daemon.SendAsync([.. good, .. garbage]);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        var lost = Assert.Single(daemon.Logs("framing_lost"));
        Assert.Equal("bad_version", lost.GetProperty("reason").GetString());
        Assert.Equal(good.Length, lost.GetProperty("message_offset").GetInt64());
        Assert.Equal(good.Length, lost.GetProperty("stream_offset").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(garbage.AsSpan(0, 256)), lost.GetProperty("first_bytes_hex").GetString());
    }

    [Fact]
    public async Task A_stream_ending_inside_a_message_logs_the_partial_message_bytes()
    {
        var good = KnownBmpStream.Bytes(KnownBmpStream.Session);
        var cut = KnownBmpStream.Termination[..7];
        using var daemon = new TestDaemon();
        await daemon.SendAsync([.. good, .. cut]);
        await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
        daemon.Stop();

        var lost = Assert.Single(daemon.Logs("framing_lost"));
        Assert.Equal("truncated", lost.GetProperty("reason").GetString());
        Assert.Equal(good.Length, lost.GetProperty("message_offset").GetInt64());
        Assert.Equal(good.Length + cut.Length, lost.GetProperty("stream_offset").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(cut), lost.GetProperty("first_bytes_hex").GetString());
        Assert.Equal("BMP message at end of stream", lost.GetProperty("where").GetString());
    }

    private static void AssertCounts(JsonElement stats, int messages)
    {
        Assert.Equal(messages, stats.GetProperty("messages").GetInt64());
        Assert.Equal(KnownBmpStream.Routes, stats.GetProperty("routes_received").GetInt64());
        Assert.Equal(KnownBmpStream.Ipv4Learned + KnownBmpStream.Ipv6Learned, stats.GetProperty("routes_learned").GetInt64());
        Assert.Equal(KnownBmpStream.Ipv4Withdrawn + KnownBmpStream.Ipv6Withdrawn, stats.GetProperty("routes_withdrawn").GetInt64());
        var families = stats.GetProperty("families");
        Assert.Equal(["ipv4-unicast", "ipv6-unicast"], families.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        AssertFamily(families.GetProperty("ipv4-unicast"), KnownBmpStream.Ipv4Learned, KnownBmpStream.Ipv4Withdrawn);
        AssertFamily(families.GetProperty("ipv6-unicast"), KnownBmpStream.Ipv6Learned, KnownBmpStream.Ipv6Withdrawn);
        Assert.Equal(KnownBmpStream.SysName, stats.GetProperty("sys_name").GetString());
    }

    private static void AssertFamily(JsonElement family, int learned, int withdrawn)
    {
        Assert.Equal(learned + withdrawn, family.GetProperty("received").GetInt64());
        Assert.Equal(learned, family.GetProperty("learned").GetInt64());
        Assert.Equal(withdrawn, family.GetProperty("withdrawn").GetInt64());
    }

    private static DateTime Utc(uint seconds) => DateTime.UnixEpoch.AddSeconds(seconds);

    /// <summary>Polls the log file (skipping a line still being written) until a line matches, up to 20 s.</summary>
    private static async Task<JsonElement> WaitForLog(TestDaemon daemon, Func<JsonElement, bool> match)
    {
        for (var i = 0; i < 200; i++)
        {
            foreach (var line in File.ReadLines(daemon.LogPath))
            {
                JsonElement parsed;
                try
                {
                    parsed = JsonDocument.Parse(line).RootElement;
                }
                catch (JsonException)
                {
                    continue;
                }

                if (match(parsed))
                {
                    return parsed;
                }
            }

            await Task.Delay(100);
        }

        Assert.Fail($"no matching log line in 20 s: {File.ReadAllText(daemon.LogPath)}");
        return default;
    }
}
