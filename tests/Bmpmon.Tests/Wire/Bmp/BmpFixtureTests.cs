using System.Text.Json;
using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Wire.Bmp;

/// <summary>Every real message of every capture decodes; Peer Up/Down agree with the oracles.</summary>
public sealed class BmpFixtureTests(ITestOutputHelper output)
{
    [FixtureFact]
    public void Every_message_of_every_capture_parses()
    {
        var root = Fixtures.RequireRoot();

        var counts = new Dictionary<BmpMessageType, int>();
        var failures = new List<string>();
        foreach (var file in FixtureStreams.RawFiles(root))
        {
            foreach (var (offset, message) in FixtureStreams.Messages(file))
            {
                var type = (BmpMessageType)message[5];
                if (!TryParse(type, message, out var error))
                {
                    failures.Add($"{Path.GetFileName(file)} @{offset} {type}: {error}");
                }

                counts[type] = counts.GetValueOrDefault(type) + 1;
            }
        }

        foreach (var (type, count) in counts)
        {
            output.WriteLine($"{type}: {count}");
        }

        Assert.True(counts.GetValueOrDefault(BmpMessageType.RouteMonitoring) > 10000);
        Assert.True(counts.GetValueOrDefault(BmpMessageType.PeerUpNotification) > 300);
        Assert.Empty(failures);
    }

    private static bool TryParse(BmpMessageType type, byte[] message, out DecodeError error)
    {
        error = default;
        switch (type)
        {
            case BmpMessageType.RouteMonitoring:
                if (!RouteMonitoringMessage.TryParse(message, out var rm, out error))
                {
                    return false;
                }

                Assert.Equal(BgpMessageType.Update, (BgpMessageType)rm.BgpMessage[18]);
                if (rm.TlvsHaveIndex)
                {
                    var tlvs = rm.GetTlvs();
                    while (tlvs.TryRead(out var tlv, out error))
                    {
                        Assert.NotEqual((ushort)RouteMonitoringTlvType.BgpMessage, tlv.Type);
                    }

                    return !error.IsError;
                }

                return true;
            case BmpMessageType.StatisticsReport:
                if (!StatisticsReport.TryParse(message, out var stats, out error))
                {
                    return false;
                }

                var reader = stats.GetTlvs();
                var n = 0u;
                while (reader.TryRead(out _, out error))
                {
                    n++;
                }

                Assert.Equal(stats.Count, n);
                return !error.IsError;
            case BmpMessageType.PeerDownNotification:
                if (!PeerDownNotification.TryParse(message, out var down, out error))
                {
                    return false;
                }

                error = down.DataError;
                return !error.IsError;
            case BmpMessageType.PeerUpNotification:
                if (!PeerUpNotification.TryParse(message, out var up, out error))
                {
                    return false;
                }

                _ = PeerCapabilities.FromOpens(up.SentOpen, up.ReceivedOpen, up.Peer.IsLocRib);
                return true;
            case BmpMessageType.Initiation:
                return InitiationMessage.TryParse(message, out _, out error);
            case BmpMessageType.Termination:
                return TerminationMessage.TryParse(message, out _, out error);
            case BmpMessageType.RouteMirroring:
                return RouteMirroringMessage.TryParse(message, out _, out error);
            default:
                // Type 100 (draft-xu-grow-bmp-route-policy-attr-trace) in traffic-reproducer: not ours.
                return true;
        }
    }

    [FixtureFact]
    public void Peer_up_and_down_match_the_tshark_oracle_for_netgauze_captures()
    {
        var root = Fixtures.RequireRoot();

        var checkedUps = 0;
        var checkedDowns = 0;
        foreach (var expectedFile in Directory.GetFiles(Path.Combine(root, "netgauze"), "*.expected.json"))
        {
            var capture = Path.GetFileName(expectedFile)[..^".expected.json".Length];
            using var doc = JsonDocument.Parse(File.ReadAllText(expectedFile));
            var ups = new List<string>();
            var downs = new List<string>();
            foreach (var stream in doc.RootElement.GetProperty("tcp_streams").EnumerateArray())
            {
                var file = Path.Combine(root, "netgauze", "streams", $"{capture}.stream{stream.GetProperty("tcp_stream").GetInt32()}.bmp");
                if (!File.Exists(file))
                {
                    continue;
                }

                var router = stream.GetProperty("src").GetString()![..stream.GetProperty("src").GetString()!.LastIndexOf(':')];
                foreach (var (_, message) in FixtureStreams.Messages(file))
                {
                    if (message[5] == (byte)BmpMessageType.PeerUpNotification)
                    {
                        Assert.True(PeerUpNotification.TryParse(message, out var up, out _));
                        ups.Add(Describe(router, up));
                    }
                    else if (message[5] == (byte)BmpMessageType.PeerDownNotification)
                    {
                        Assert.True(PeerDownNotification.TryParse(message, out var down, out _));
                        downs.Add($"{router}|{down.Peer.PeerBgpId:X8}|{down.Peer.TimestampSeconds}|{(byte)down.Reason}|{(down.HasNotification ? down.Notification.ErrorCode : 0)}");
                    }
                }
            }

            foreach (var up in doc.RootElement.GetProperty("peer_up").EnumerateArray())
            {
                if (up.GetProperty("sent_open").ValueKind != JsonValueKind.Object || up.GetProperty("received_open").ValueKind != JsonValueKind.Object)
                {
                    continue; // tshark could not read a v4 Peer Up: nothing to compare against.
                }

                var expected = DescribeOracle(up);
                Assert.Contains(expected, ups);
                checkedUps++;
            }

            foreach (var down in doc.RootElement.GetProperty("peer_down").EnumerateArray())
            {
                if (down.GetProperty("reason").ValueKind != JsonValueKind.Number)
                {
                    continue; // tshark could not read a v4 Peer Down.
                }

                var major = down.TryGetProperty("notification", out var n) && n.ValueKind == JsonValueKind.Object && n.GetProperty("major").ValueKind == JsonValueKind.Number ? n.GetProperty("major").GetInt32() : 0;
                var key = $"{down.GetProperty("router").GetString()}|{IdHex(down.GetProperty("peer_bgp_id").GetString()!)}|{down.GetProperty("timestamp_sec").GetInt64()}|{down.GetProperty("reason").GetInt32()}|{major}";
                Assert.Contains(key, downs);
                checkedDowns++;
            }
        }

        output.WriteLine($"checked {checkedUps} peer ups, {checkedDowns} peer downs");
        Assert.True(checkedUps > 20);
        Assert.True(checkedDowns > 0);
    }

    private static string IdHex(string dotted) => Convert.ToHexString(System.Net.IPAddress.Parse(dotted).GetAddressBytes());

    private static string Describe(string router, PeerUpNotification up)
    {
        var caps = PeerCapabilities.FromOpens(up.SentOpen, up.ReceivedOpen, up.Peer.IsLocRib);
        return string.Join('|',
            router,
            up.Peer.PeerAddress.HasValue ? up.Peer.PeerAddress.ToString() : "::",
            up.Peer.PeerAs,
            up.Peer.PeerBgpId.ToString("X8"),
            up.Peer.TimestampSeconds,
            up.LocalAddress.HasValue ? up.LocalAddress.ToString() : "::",
            up.LocalPort,
            up.RemotePort,
            Open(up.SentOpen),
            Open(up.ReceivedOpen),
            string.Join(',', caps.AddPathAdjRibIn.Select(f => f.Name).Order(StringComparer.Ordinal)),
            string.Join(',', caps.AddPathAdjRibOut.Select(f => f.Name).Order(StringComparer.Ordinal)));
    }

    private static string Open(BgpOpenMessage open)
    {
        var codes = new List<int>();
        var reader = open.GetCapabilities();
        while (reader.TryRead(out var c, out _))
        {
            codes.Add((int)c.Code);
        }

        return $"{open.MyAs}/{open.HoldTime}/{open.BgpId:X8}/{string.Join(',', codes)}";
    }

    private static string DescribeOracle(JsonElement up)
    {
        static string OpenOf(JsonElement o) =>
            $"{o.GetProperty("my_as").GetInt32()}/{o.GetProperty("hold_time").GetInt32()}/{IdHex(o.GetProperty("bgp_id").GetString()!)}/" +
            string.Join(',', o.GetProperty("capabilities").EnumerateArray().Select(c => c.GetProperty("code").GetInt32()));

        static string Families(JsonElement a) => string.Join(',', a.EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal));

        // Loc-RIB Peer Ups have zero addresses, which the decoder reports as absent.
        static string Zero(string a) => a is "0.0.0.0" ? "::" : a;

        static string Port(JsonElement p) => p.ValueKind == JsonValueKind.Number ? p.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : "0";

        return string.Join('|',
            up.GetProperty("router").GetString(),
            Zero(up.GetProperty("peer_address").GetString()!),
            up.GetProperty("peer_asn").GetInt64(),
            IdHex(up.GetProperty("peer_bgp_id").GetString()!),
            up.GetProperty("timestamp_sec").GetInt64(),
            Zero(up.GetProperty("local_address").GetString()!),
            Port(up.GetProperty("local_port")),
            Port(up.GetProperty("remote_port")),
            OpenOf(up.GetProperty("sent_open")),
            OpenOf(up.GetProperty("received_open")),
            Families(up.GetProperty("add_path_adj_rib_in")),
            Families(up.GetProperty("add_path_adj_rib_out")));
    }
}
