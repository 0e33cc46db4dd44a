using System.Globalization;
using System.Text.Json;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Primitives;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// Initiation, Peer Up, Peer Down and Statistics Reports of every capture held against the tshark
/// oracle (X.expected.json): every field the oracle carries, as multisets per capture, so a message
/// we decode differently, miss or invent fails. Where the oracle is known to be wrong,
/// <see cref="OracleControlDeviations"/> states what we decode instead and why, and the test asserts it.
/// </summary>
public sealed class OracleControlMessageTests(ITestOutputHelper output)
{
    public static TheoryData<string> Captures() => FixtureCaptures.All();

    [FixtureTheory]
    [MemberData(nameof(Captures))]
    public void Initiations_equal_the_oracles(string capture) =>
        Compare(capture, "initiation", o => o.GetProperty("initiation").EnumerateArray().Select(OracleInitiation), s => s.Initiations.Select(Initiation));

    [FixtureTheory]
    [MemberData(nameof(Captures))]
    public void Peer_ups_equal_the_oracles(string capture) =>
        Compare(capture, "peer_up", o => o.GetProperty("peer_up").EnumerateArray().Select(OraclePeerUp), s => s.PeerUps.Select(PeerUp));

    [FixtureTheory]
    [MemberData(nameof(Captures))]
    public void Peer_downs_equal_the_oracles(string capture) =>
        Compare(capture, "peer_down", o => o.GetProperty("peer_down").EnumerateArray().Select(OraclePeerDown), s => s.PeerDowns.Select(PeerDown));

    [FixtureTheory]
    [MemberData(nameof(Captures))]
    public void Statistics_equal_the_oracles(string capture)
    {
        // The oracle keeps the number of reports and of counter TLVs per stat type, not their values
        // (those are compared with pmacct's and NetGauze's own output).
        Compare(capture, "statistics", OracleStatistics, streams =>
        {
            var reports = streams.SelectMany(s => s.Statistics).ToList();
            return [$"messages={reports.Count}", .. reports.SelectMany(r => r.Counters).GroupBy(c => c.Type).Select(g => $"type {g.Key}={g.Count()}")];
        });
    }

    private void Compare(string capture, string kind, Func<JsonElement, IEnumerable<string>> oracle, Func<StreamControlMessages, IEnumerable<string>> ours) =>
        Compare(capture, kind, oracle, streams => streams.SelectMany(ours));

    private void Compare(string capture, string kind, Func<JsonElement, IEnumerable<string>> oracle, Func<IReadOnlyList<StreamControlMessages>, IEnumerable<string>> ours)
    {
        var root = Fixtures.RequireRoot();

        var path = Path.Combine(root, capture);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path + ".expected.json"));
        var routers = document.RootElement.GetProperty("tcp_streams").EnumerateArray()
            .ToDictionary(s => s.GetProperty("tcp_stream").GetInt32(), s => Host(s.GetProperty("src").GetString()!));
        var streams = ControlMessages.Of(path)
            .Select(s => routers.TryGetValue(s.Index, out var r) && r != s.Router ? Renamed(s, r) : s)
            .ToList();

        var theirs = oracle(document.RootElement).ToList();
        var decoded = ours(streams).ToList();
        var missing = Multiset.Except(theirs, decoded);
        var extra = Multiset.Except(decoded, theirs);
        var deviation = OracleControlDeviations.For(capture, kind);
        output.WriteLine($"{capture} {kind}: oracle {theirs.Count}, decoded {decoded.Count}, only in the oracle {missing.Count}, only decoded {extra.Count}");
        if (deviation is not null)
        {
            output.WriteLine($"deviation: {deviation.Why}");
        }

        Assert.True(
            missing.Count == (deviation?.OnlyInOracle ?? 0) && extra.Count == (deviation?.OnlyDecoded ?? 0),
            $"{capture} {kind}: only in the oracle ({missing.Count}): {string.Join(" // ", missing.Take(3))}\nonly decoded ({extra.Count}): {string.Join(" // ", extra.Take(3))}");
        if (deviation?.Check is { } check)
        {
            check(missing, extra);
        }
    }

    private static StreamControlMessages Renamed(StreamControlMessages s, string router)
    {
        // A raw BMP dump has no addresses: the oracle wrapped it in a synthetic TCP stream.
        var renamed = new StreamControlMessages { Index = s.Index, Router = router };
        renamed.Initiations.AddRange(s.Initiations.Select(i => i with { Router = router }));
        renamed.PeerUps.AddRange(s.PeerUps.Select(u => u with { Router = router }));
        renamed.PeerDowns.AddRange(s.PeerDowns.Select(d => d with { Router = router }));
        renamed.Statistics.AddRange(s.Statistics.Select(r => r with { Router = router }));
        return renamed;
    }

    private static string Host(string endpoint) => endpoint[..endpoint.LastIndexOf(':')].Trim('[', ']');

    private static string Initiation(InitiationRecord i) => $"{i.Router}|{string.Join(";", i.Tlvs.Select(t => $"{t.Type}={t.Text}"))}";

    private static string OracleInitiation(JsonElement i) =>
        $"{i.GetProperty("router").GetString()}|{string.Join(";", i.GetProperty("tlvs").EnumerateArray().Select(t => $"{t.GetProperty("tlv_type").GetInt32()}={t.GetProperty("value").GetString()}"))}";

    private static string Peer(string router, PeerRecord p) =>
        $"{router}|type={(byte)p.Type}|flags=0x{(byte)p.Flags:x2}|rd={ColonHex(p.Distinguisher)}|{Address(p.Address, p.Flags)}|as={p.As}|id={p.BgpIdText}|t={p.Seconds}.{p.Microseconds:D6}";

    private static string OraclePeer(JsonElement e) =>
        $"{e.GetProperty("router").GetString()}|type={e.GetProperty("peer_type").GetInt32()}|flags={e.GetProperty("flags").GetString()}|rd={e.GetProperty("peer_distinguisher").GetString()}|" +
        $"{e.GetProperty("peer_address").GetString()}|as={e.GetProperty("peer_asn").GetInt64()}|id={e.GetProperty("peer_bgp_id").GetString()}|t={e.GetProperty("timestamp_sec").GetInt64()}.{e.GetProperty("timestamp_usec").GetInt64():D6}";

    private static string PeerUp(PeerUpRecord u) =>
        $"{Peer(u.Router, u.Peer)}|local={Address(u.LocalAddress, u.Peer.Flags)}:{u.LocalPort}>{u.RemotePort}|sent={Open(u.Sent)}|received={Open(u.Received)}" +
        $"|addpath in={string.Join(",", u.AddPathAdjRibIn.Select(f => f.Name).Order(StringComparer.Ordinal))} out={string.Join(",", u.AddPathAdjRibOut.Select(f => f.Name).Order(StringComparer.Ordinal))}";

    private static string OraclePeerUp(JsonElement u)
    {
        static string Port(JsonElement p) => p.ValueKind == JsonValueKind.Number ? p.GetInt32().ToString(CultureInfo.InvariantCulture) : "?";
        static string Families(JsonElement a) => string.Join(",", a.EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal));
        return $"{OraclePeer(u)}|local={u.GetProperty("local_address").GetString()}:{Port(u.GetProperty("local_port"))}>{Port(u.GetProperty("remote_port"))}" +
            $"|sent={OracleOpen(u.GetProperty("sent_open"))}|received={OracleOpen(u.GetProperty("received_open"))}" +
            $"|addpath in={Families(u.GetProperty("add_path_adj_rib_in"))} out={Families(u.GetProperty("add_path_adj_rib_out"))}";
    }

    private static string Open(OpenRecord o) => $"{o.MyAs}/{o.HoldTime}/{o.BgpIdText}/[{string.Join(" ", o.Capabilities.Select(Capability))}]";

    private static string Capability(CapabilityRecord c)
    {
        var value = c.Value;
        return c.Code switch
        {
            1 when value.Length == 4 => $"1:{new Core.Wire.Iana.AfiSafi((Core.Wire.Iana.Afi)((value[0] << 8) | value[1]), (Core.Wire.Iana.Safi)value[3]).Name}",
            65 when value.Length == 4 => $"65:{System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(value)}",
            69 => "69:" + string.Join(",", value.Chunk(4).Select(e => $"{new Core.Wire.Iana.AfiSafi((Core.Wire.Iana.Afi)((e[0] << 8) | e[1]), (Core.Wire.Iana.Safi)e[2]).Name}={e[3]}")),
            _ => c.Code.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string OracleOpen(JsonElement o)
    {
        if (o.ValueKind != JsonValueKind.Object)
        {
            return "(unread)";
        }

        static string Capability(JsonElement c)
        {
            var code = c.GetProperty("code").GetInt32();
            if (c.TryGetProperty("afi_safi", out var family))
            {
                // The oracle names BGP-LS (AFI 16388, SAFI 71) by AFI and SAFI alike; we call it "bgp-ls".
                return $"{code}:{family.GetString()!.Replace("bgp-ls-bgp-ls", "bgp-ls", StringComparison.Ordinal)}";
            }

            if (c.TryGetProperty("asn", out var asn))
            {
                return $"{code}:{asn.GetInt64()}";
            }

            if (c.TryGetProperty("add_path", out var addPath))
            {
                return $"{code}:" + string.Join(",", addPath.EnumerateArray().Select(e => $"{e.GetProperty("afi_safi").GetString()}={e.GetProperty("send_receive").GetInt32()}"));
            }

            return code.ToString(CultureInfo.InvariantCulture);
        }

        return $"{o.GetProperty("my_as").GetInt32()}/{o.GetProperty("hold_time").GetInt32()}/{o.GetProperty("bgp_id").GetString()}/[{string.Join(" ", o.GetProperty("capabilities").EnumerateArray().Select(Capability))}]";
    }

    private static string PeerDown(PeerDownRecord d)
    {
        var detail = d.Reason switch
        {
            1 or 3 => d.NotificationCode is { } code ? $"notification={code}/{d.NotificationSubcode}" : "notification=?",
            2 => d.FsmEventCode is { } fsm ? $"fsm={fsm}" : $"fsm=[{Convert.ToHexString(d.Data)}]",
            _ => string.Empty,
        };
        return $"{Peer(d.Router, d.Peer)}|reason={d.Reason}|{detail}";
    }

    private static string OraclePeerDown(JsonElement d)
    {
        var reason = d.GetProperty("reason").GetInt32();
        var detail = string.Empty;
        if (reason is 1 or 3)
        {
            var n = d.GetProperty("notification");
            var minor = n.GetProperty("minor_text").GetString()!;
            detail = n.GetProperty("major").ValueKind == JsonValueKind.Number
                ? $"notification={n.GetProperty("major").GetInt32()}/{minor[(minor.LastIndexOf('(') + 1)..^1]}"
                : "notification=?";
        }
        else if (reason == 2)
        {
            var fsm = d.GetProperty("fsm_event_or_data");
            detail = fsm.ValueKind == JsonValueKind.Number ? $"fsm={fsm.GetInt32()}" : $"fsm=[{fsm.GetString()}]";
        }

        return $"{OraclePeer(d)}|reason={reason}|{detail}";
    }

    private static IEnumerable<string> OracleStatistics(JsonElement oracle)
    {
        var statistics = oracle.GetProperty("statistics_reports");
        yield return $"messages={statistics.GetProperty("messages").GetInt32()}";
        foreach (var type in statistics.GetProperty("counter_tlvs_by_type").EnumerateObject())
        {
            yield return $"type {type.Name}={type.Value.GetInt32()}";
        }
    }

    // A Loc-RIB peer's zero addresses are absent to us. Wireshark 4.0 reads them with the V flag's
    // meaning although RFC 9069 makes that bit F (filtered): "::" when F is set, else "0.0.0.0".
    private static string Address(IpAddr a, PeerFlags flags) => a.HasValue ? a.ToString() : (flags & PeerFlags.Ipv6) != 0 ? "::" : "0.0.0.0";

    private static string ColonHex(ulong value) =>
        string.Join(":", Enumerable.Range(0, 8).Select(i => ((byte)(value >> (56 - (8 * i)))).ToString("x2", CultureInfo.InvariantCulture)));
}
