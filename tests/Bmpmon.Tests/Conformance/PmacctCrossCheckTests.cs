using System.Globalization;
using System.Text.Json;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// A fourth view: pmacct's own output for its captures (pmacct/pmacct-expected, one JSON object per
/// line). Each BMP session pmacct logged (bmp_router, bmp_router_port) is one capture replayed into
/// it; <see cref="Sessions"/> says which. Per session, the Initiation, Peer Up, Peer Down and
/// statistics counter events pmacct logged must equal ours exactly, as multisets: every field
/// pmacct writes (peer, RIB, RD, timestamp, local AS/address/ports, Information TLVs, reason and FSM
/// code, counter type, value and AFI/SAFI). They agree on every session, so there is no deviation
/// table; the two places where pmacct's output is not one capture per session (test 202 replays test
/// 200's capture; a dump file without control events) are stated in <see cref="Sessions"/> and
/// <see cref="WithoutControlEvents"/>. pmacct logs no NOTIFICATION code for a Peer Down (only
/// reason_type and reason_loc_code, the FSM event): those codes are held against tshark and NetGauze.
/// </summary>
public sealed class PmacctCrossCheckTests(ITestOutputHelper output)
{
    private const string Folder = "pmacct";

    /// <summary>pmacct's session (output file, bmp_router) and the capture that was replayed into it.</summary>
    internal static readonly (string Output, string Router, string Capture)[] Sessions =
    [
        ("200-BMP-HUAWEI-locrib_instance__output-bmp-00.json", "172.21.1.101", "200-BMP-HUAWEI-locrib_instance__traffic-00.pcap"),
        ("201-BMP-CISCO-rd_instance__output-bmp-00.json", "172.21.1.101", "201-BMP-CISCO-rd_instance__traffic-00.pcap"),

        // pmacct's test 202 replays three captures at once; its traffic-00 is test 200's capture (the same Huawei router, sysName ...-daisy-61).
        ("202-BMP-CISCO-HUAWEI-multiple-sources__output-bmp-00.json", "172.21.1.101", "200-BMP-HUAWEI-locrib_instance__traffic-00.pcap"),
        ("202-BMP-CISCO-HUAWEI-multiple-sources__output-bmp-00.json", "172.21.1.102", "202-BMP-CISCO-HUAWEI-multiple-sources__traffic-01.pcap"),
        ("202-BMP-CISCO-HUAWEI-multiple-sources__output-bmp-00.json", "172.21.1.103", "202-BMP-CISCO-HUAWEI-multiple-sources__traffic-02.pcap"),
        ("204-BMP-CISCO-peer_down__output-bmp-00.json", "fd25::101", "204-BMP-CISCO-peer_down__traffic-00.pcap"),
        ("205-BMP-6wind-FRR-peer_down__output-bmp-00.json", "172.21.1.101", "205-BMP-6wind-FRR-peer_down__traffic-00.pcap"),
        ("206-BMP-high-availability__output-bmp-01.json", "172.21.1.101", "206-BMP-high-availability__traffic-00.pcap"),
        ("400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources__output-bmp-00.json", "172.21.1.101", "400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources__traffic-00.pcap"),
        ("400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources__output-bmp-00.json", "172.21.1.102", "400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources__traffic-01.pcap"),
        ("401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources__output-bmp-00.json", "fd25::101", "401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources__traffic-00.pcap"),
        ("401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources__output-bmp-00.json", "fd25::102", "401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources__traffic-01.pcap"),
        ("403-IPFIXv10-BMP-IPv6-CISCO-locrib-peerdown-vrf__output-bmp-00.json", "fd25::101", "403-IPFIXv10-BMP-IPv6-CISCO-locrib-peerdown-vrf__traffic-00.pcap"),
    ];

    /// <summary>pmacct outputs that hold no BMP control events at all, and why.</summary>
    private static readonly (string Output, string Why)[] WithoutControlEvents =
    [
        ("400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources__output-bmp-01.json", "the second dump of test 400: only pmacct's RIB dump lines (bmp_msg_type internal)"),
    ];

    private static readonly string[] Kinds = ["init", "peer_up", "peer_down", "stats"];

    public static TheoryData<string, string> SessionData()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, router, _) in Sessions)
        {
            data.Add(file, router);
        }

        return data;
    }

    [FixtureFact]
    public void Every_pmacct_output_is_mapped_to_captures()
    {
        var root = Fixtures.RequireRoot();

        var folder = Path.Combine(root, Folder, "pmacct-expected");
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Select(Path.GetFileName))
        {
            var routers = ReadEvents(Path.Combine(folder, file!)).Where(e => Kinds.Contains(e.Kind)).Select(e => e.Router).Distinct().Order(StringComparer.Ordinal).ToList();
            var mapped = Sessions.Where(s => s.Output == file).Select(s => s.Router).Order(StringComparer.Ordinal).ToList();
            Assert.True(routers.SequenceEqual(mapped), $"{file}: pmacct sessions [{string.Join(", ", routers)}], mapped [{string.Join(", ", mapped)}]");
            Assert.Equal(routers.Count == 0, WithoutControlEvents.Any(w => w.Output == file));
        }
    }

    /// <summary>The comparison covers what it claims to: the sessions' VRF/table names, per-AFI/SAFI gauges, reasons and counter types.</summary>
    [FixtureFact]
    public void The_sessions_cover_vrf_names_gauges_and_peer_down_reasons()
    {
        var root = Fixtures.RequireRoot();

        var events = Sessions.SelectMany(s => ReadEvents(Path.Combine(root, Folder, "pmacct-expected", s.Output)).Where(e => e.Router == s.Router)).ToList();
        var vrfs = events.Where(e => e.Kind == "peer_up").Select(e => e.Text.Split(";3=")[1].Split(';')[0]).Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        output.WriteLine($"VRF/table names: {string.Join(", ", vrfs)}");
        Assert.Equal(16, vrfs.Count);
        Assert.Contains("A2_TEST_10", vrfs);
        Assert.Contains("global", vrfs);
        Assert.Equal(54, events.Count(e => e.Kind == "stats" && !e.Text.EndsWith("|afi=-|safi=-", StringComparison.Ordinal)));
        Assert.Equal(["3", "4", "6"], events.Where(e => e.Kind == "peer_down").Select(e => e.Text.Split("|reason=")[1].Split('|')[0]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(11, events.Where(e => e.Kind == "stats").Select(e => e.Text.Split("|counter=")[1].Split('|')[0]).Distinct().Count());
    }

    [FixtureTheory]
    [MemberData(nameof(SessionData))]
    public void Events_of_a_session_equal_ours(string pmacctOutput, string router)
    {
        var root = Fixtures.RequireRoot();

        var capture = Sessions.Single(s => s.Output == pmacctOutput && s.Router == router).Capture;
        var streams = ControlMessages.Of(Path.Combine(root, Folder, capture));
        var theirs = ReadEvents(Path.Combine(root, Folder, "pmacct-expected", pmacctOutput)).Where(e => e.Router == router).ToList();
        foreach (var kind in Kinds)
        {
            var expected = theirs.Where(e => e.Kind == kind).Select(e => e.Text).ToList();
            var decoded = Ours(streams, kind).ToList();
            var missing = Multiset.Except(expected, decoded);
            var extra = Multiset.Except(decoded, expected);
            output.WriteLine($"{capture} {kind}: pmacct {expected.Count}, decoded {decoded.Count}");
            Assert.True(
                missing.Count == 0 && extra.Count == 0,
                $"{pmacctOutput} {router} {kind}: only pmacct ({missing.Count}): {string.Join(" // ", missing.Take(3))}\nonly ours ({extra.Count}): {string.Join(" // ", extra.Take(3))}");
        }
    }

    private static IEnumerable<string> Ours(IReadOnlyList<StreamControlMessages> streams, string kind) => kind switch
    {
        "init" => streams.SelectMany(s => s.Initiations).Select(i => $"init|{Tlvs(i.Tlvs, 0, 1, 2)}"),
        "peer_up" => streams.SelectMany(s => s.PeerUps).Select(u =>
            $"peer_up|{Peer(u.Peer)}|local_as={u.Sent.FourOctetAs}|local={Address(u.LocalAddress)}:{u.LocalPort}>{u.RemotePort}|{Tlvs(u.Information, 0, 3, 4)}"),
        "peer_down" => streams.SelectMany(s => s.PeerDowns).Select(d =>
            $"peer_down|{Peer(d.Peer)}|reason={d.Reason}|loc_code={(d.FsmEventCode is { } fsm ? fsm.ToString(CultureInfo.InvariantCulture) : "-")}"),
        _ => streams.SelectMany(s => s.Statistics).SelectMany(r => r.Counters.Select(c => $"stats|{Peer(r.Peer)}|{Counter(c)}")),
    };

    private static string Counter(CounterRecord c) => c.Kind switch
    {
        StatisticsValueKind.PerAfiSafiGauge64 => $"counter={c.Type}|value={c.Value}|afi={(ushort)c.Family.Afi}|safi={(byte)c.Family.Safi}",
        StatisticsValueKind.Raw => $"counter={c.Type}|raw={Convert.ToHexString(c.Raw)}",
        _ => $"counter={c.Type}|value={c.Value}|afi=-|safi=-",
    };

    /// <summary>The TLVs of the given types, by type, each as pmacct keeps them; any other type is listed too, so it cannot hide.</summary>
    private static string Tlvs(IReadOnlyList<TlvRecord> tlvs, params ushort[] types) =>
        string.Join(";", types.Select(t => $"{t}={string.Join("+", tlvs.Where(x => x.Type == t).Select(x => x.Text))}")
            .Concat(tlvs.Where(x => !types.Contains(x.Type)).Select(x => $"other {x.Type}={Convert.ToHexString(x.Value)}")));

    private static string Peer(PeerRecord p) =>
        $"{Address(p.Address)}|as={p.As}|id={p.BgpIdText}|type={(byte)p.Type}|rib={Rib(p.Rib)}|filtered={(p.Filtered ? 1 : 0)}|rd={(p.Distinguisher == 0 ? "-" : p.DistinguisherText)}|t={p.Seconds}.{p.Microseconds:D6}";

    private static string Rib(BmpRib rib) => rib switch
    {
        BmpRib.LocRib => "loc-rib",
        BmpRib.PostPolicy => "post-policy",
        BmpRib.AdjRibOutPre => "adj-rib-out-pre",
        BmpRib.AdjRibOutPost => "adj-rib-out-post",
        _ => "pre-policy",
    };

    // A Loc-RIB peer (RFC 9069) has all-zero addresses, which we keep as absent; pmacct writes 0.0.0.0.
    private static string Address(Core.Wire.Primitives.IpAddr address) => address.HasValue ? address.ToString() : "0.0.0.0";

    private sealed record PmacctEvent(string Router, string Kind, string Text);

    private static List<PmacctEvent> ReadEvents(string path)
    {
        var events = new List<PmacctEvent>();
        foreach (var line in File.ReadLines(path))
        {
            using var document = JsonDocument.Parse(line);
            var e = document.RootElement;
            var kind = Text(e, "bmp_msg_type");
            var text = kind switch
            {
                "init" => $"init|0={Text(e, "bmp_init_info_string")};1={Text(e, "bmp_init_info_sysdescr")};2={Text(e, "bmp_init_info_sysname")}{Reserved(e, "bmp_init_info_reserved")}",
                "peer_up" => $"peer_up|{Peer(e)}|local_as={Number(e, "local_as")}|local={Text(e, "local_ip")}:{Number(e, "local_port")}>{Number(e, "remote_port")}" +
                    $"|0={Text(e, "bmp_peer_up_info_string")};3={Text(e, "bmp_peer_up_info_vrf_table_name")};4={Text(e, "bmp_peer_up_info_admin_label")}{Reserved(e, "bmp_peer_up_info_reserved")}",
                "peer_down" => $"peer_down|{Peer(e)}|reason={Number(e, "reason_type")}|loc_code={Number(e, "reason_loc_code")}",
                "stats" => $"stats|{Peer(e)}|counter={Number(e, "counter_type")}|value={Number(e, "counter_value")}|afi={Number(e, "afi")}|safi={Number(e, "safi")}",
                _ => null,
            };
            if (text is not null)
            {
                events.Add(new PmacctEvent(Text(e, "bmp_router"), kind, text));
            }
        }

        return events;
    }

    private static string Peer(JsonElement e)
    {
        var rib = Number(e, "is_loc") == "1" ? "loc-rib"
            : Number(e, "is_out") == "1" ? (Number(e, "is_post") == "1" ? "adj-rib-out-post" : "adj-rib-out-pre")
            : Number(e, "is_post") == "1" ? "post-policy" : "pre-policy";
        var filtered = Number(e, "is_filtered") == "1" ? 1 : 0;
        var rd = Text(e, "rd");
        return $"{Text(e, "peer_ip")}|as={Number(e, "peer_asn")}|id={Text(e, "bgp_id")}|type={Number(e, "peer_type")}|rib={rib}|filtered={filtered}|rd={(rd.Length == 0 ? "-" : rd)}|t={Text(e, "timestamp")}";
    }

    // pmacct's "reserved" field holds TLV types it does not name; null everywhere in these outputs.
    private static string Reserved(JsonElement e, string name) => Text(e, name) is { Length: > 0 } value ? $";reserved={value}" : string.Empty;

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    private static string Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : "-";
}
