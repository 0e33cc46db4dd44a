using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// The content of NetGauze's own decode (netgauze/netgauze-expected) against ours, message by
/// message as multisets per capture: Initiation strings, Peer Up (per-peer header with RD and
/// timestamp, local address and ports, both OPENs with every capability decoded, in order and with
/// the Optional Parameter that carried it, Information TLVs), Peer Down (reason with the
/// NOTIFICATION code and subcode and data, or the reason-6 VRF/table name) and every statistics
/// counter with its value. NetGauze's JSON is reduced to a compact canonical text
/// (<see cref="Canonical"/>) and ours is written in the same vocabulary by <see cref="NetGauzeText"/>.
/// </summary>
public sealed class NetGauzeContentTests(ITestOutputHelper output)
{
    public static TheoryData<string> Decodes() => NetGauzeCrossCheckTests.Decodes();

    [FixtureTheory]
    [MemberData(nameof(Decodes))]
    public void Control_messages_equal_netgauzes_own_decode(string decode)
    {
        var root = Fixtures.RequireRoot();

        var folder = Path.Combine(root, "netgauze");
        var stem = decode[..^"-bmp.json".Length];
        var capture = Directory.EnumerateFiles(folder, stem + ".pcap*").Single(f => !f.Contains(".expected", StringComparison.Ordinal));
        var streams = ControlMessages.Of(capture);
        var ours = new Dictionary<string, List<string>>
        {
            ["Initiation"] = [.. streams.SelectMany(s => s.Initiations).Select(NetGauzeText.Initiation)],
            ["PeerUpNotification"] = [.. streams.SelectMany(s => s.PeerUps).Select(NetGauzeText.PeerUp)],
            ["PeerDownNotification"] = [.. streams.SelectMany(s => s.PeerDowns).Select(NetGauzeText.PeerDown)],
            ["StatisticsReport"] = [.. streams.SelectMany(s => s.Statistics).Select(NetGauzeText.Statistics)],
        };
        var theirs = ours.Keys.ToDictionary(k => k, _ => new List<string>());
        foreach (var line in File.ReadLines(Path.Combine(folder, "netgauze-expected", decode)))
        {
            using var document = JsonDocument.Parse(line);
            var body = document.RootElement.EnumerateObject().Single().Value.EnumerateObject().Single();
            if (theirs.TryGetValue(body.Name, out var list))
            {
                list.Add(Render(body.Name, body.Value));
            }
        }

        foreach (var (kind, expected) in theirs)
        {
            var missing = Multiset.Except(expected, ours[kind]);
            var extra = Multiset.Except(ours[kind], expected);
            output.WriteLine($"{decode} {kind}: NetGauze {expected.Count}, decoded {ours[kind].Count}");
            Assert.True(
                missing.Count == 0 && extra.Count == 0,
                $"{decode} {kind}: only NetGauze ({missing.Count}): {string.Join(" // ", missing.Take(2))}\nonly ours ({extra.Count}): {string.Join(" // ", extra.Take(2))}");
        }
    }

    /// <summary>NetGauze's message, in the text <see cref="NetGauzeText"/> writes ours in.</summary>
    private static string Render(string kind, JsonElement body)
    {
        if (kind == "Initiation")
        {
            return $"Initiation|{Canonical(body.GetProperty("information"))}";
        }

        var peer = Peer(body.GetProperty("peer_header"));
        switch (kind)
        {
            case "PeerUpNotification":
                return $"PeerUp|{peer}|local={Canonical(body.GetProperty("local_address"))}:{Canonical(body.GetProperty("local_port"))}>{Canonical(body.GetProperty("remote_port"))}" +
                    $"|sent={Open(body.GetProperty("sent_message"))}|received={Open(body.GetProperty("received_message"))}|information={Canonical(body.GetProperty("information"))}" +
                    V4Tlvs(body);
            case "PeerDownNotification":
                return $"PeerDown|{peer}|{Canonical(body.GetProperty("reason"))}{V4Tlvs(body)}";
            default:
                return $"Statistics|{peer}|{Canonical(body.GetProperty("counters"))}";
        }
    }

    // BMP v4 messages carry a (here always empty) list of trailing TLVs; a non-empty one would show.
    private static string V4Tlvs(JsonElement body) =>
        body.TryGetProperty("tlvs", out var tlvs) && tlvs.GetArrayLength() > 0 ? $"|tlvs={Canonical(tlvs)}" : string.Empty;

    private static string Peer(JsonElement header)
    {
        var timestamp = DateTimeOffset.Parse(header.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        var micros = (timestamp - DateTimeOffset.UnixEpoch).Ticks / 10;
        return $"{Canonical(header.GetProperty("peer_type"))}|rd={Canonical(header.GetProperty("rd"))}|{Canonical(header.GetProperty("address"))}" +
            $"|as={header.GetProperty("peer_as").GetRawText()}|id={header.GetProperty("bgp_id").GetString()}|t={micros / 1_000_000}.{micros % 1_000_000:D6}";
    }

    private static string Open(JsonElement message)
    {
        var open = message.GetProperty("Open");
        var capabilities = open.GetProperty("params").EnumerateArray()
            .SelectMany((parameter, index) => parameter.GetProperty("Capabilities").EnumerateArray().Select(c => $"{index}:{Canonical(c)}"));
        return $"v{open.GetProperty("version").GetRawText()}/{open.GetProperty("my_as").GetRawText()}/{open.GetProperty("hold_time").GetRawText()}/{open.GetProperty("bgp_id").GetString()}/[{string.Join(" ", capabilities)}]";
    }

    /// <summary>A compact text of a JSON value: no quotes, no spaces, keys in the file's order.</summary>
    internal static string Canonical(JsonElement e)
    {
        var text = new StringBuilder();
        Write(e);
        return text.ToString();

        void Write(JsonElement v)
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.Object:
                    text.Append('{');
                    var first = true;
                    foreach (var p in v.EnumerateObject())
                    {
                        text.Append(first ? string.Empty : ",").Append(p.Name).Append(':');
                        Write(p.Value);
                        first = false;
                    }

                    text.Append('}');
                    break;
                case JsonValueKind.Array:
                    text.Append('[');
                    var i = 0;
                    foreach (var item in v.EnumerateArray())
                    {
                        text.Append(i++ == 0 ? string.Empty : ",");
                        Write(item);
                    }

                    text.Append(']');
                    break;
                case JsonValueKind.String:
                    text.Append(v.GetString());
                    break;
                default:
                    text.Append(v.GetRawText());
                    break;
            }
        }
    }
}
