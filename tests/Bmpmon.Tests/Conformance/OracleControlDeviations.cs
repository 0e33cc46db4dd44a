namespace Bmpmon.Tests.Conformance;

/// <summary>
/// Where the tshark oracle's Initiation, Peer Up, Peer Down or Statistics view is known to be wrong:
/// how many of its rendered messages we do not reproduce, how many of ours it lacks, and why. The
/// test asserts both numbers and the entry's own check, so an entry that stops being true fails.
/// </summary>
internal static class OracleControlDeviations
{
    /// <summary>One deviation; <see cref="Check"/> gets (only in the oracle, only decoded).</summary>
    internal sealed record Deviation(string Capture, string Kind, int OnlyInOracle, int OnlyDecoded, string Why, Action<List<string>, List<string>>? Check = null);

    private const string FsmNotDissected =
        "Wireshark 4.0 does not dissect the FSM event code of reason 2 (fsm_event_or_data is empty); Cisco IOS XR sends it: " +
        "events 2 (ManualStop) and 18 (TcpConnectionFails, RFC 4271 s8.1)";

    private const string FrrUnknownStatType =
        "FRR 8.0.1 sends stat type 65531 (unassigned) before types 7 and 8 in 176 reports; Wireshark 4.0 flags those reports " +
        "malformed and stops reading them after type 65531, so it misses one type 7 and one type 8 counter in each";

    private const string TsharkLostFraming =
        "tshark lost the framing of TCP streams 17 and 26 (walker_cross_check: 852 messages fewer than the walker, 234 of " +
        "them Statistics Reports), and it also stops after the FRR reports' stat type 65531 (as in capture 208's stats)";

    private const string TsharkHasNoBmpV4 =
        "BMP version 4 (draft-ietf-grow-bmp-tlv): Wireshark 4.0 reads neither OPEN of one Peer Up and misses two Peer Ups " +
        "whole; NetGauze's own decode has all 9, and NetGauzeCrossCheck compares their content";

    private static readonly Deviation[] All =
    [
        new("netgauze/pcap-reader__data__bmp.pcapng", "peer_down", 2, 2, FsmNotDissected, (oracle, decoded) =>
        {
            Assert.All(oracle, line => Assert.EndsWith("|reason=2|fsm=[]", line, StringComparison.Ordinal));
            Assert.Equal(["fsm=18", "fsm=2"], decoded.Select(line => line[(line.LastIndexOf('|') + 1)..]).Order(StringComparer.Ordinal));
        }),
        new("netgauze/stateless-with-add-path__ipv4_unicast_all.pcap", "peer_up", 1, 3, TsharkHasNoBmpV4, (oracle, decoded) =>
        {
            Assert.Contains("|sent=(unread)|received=(unread)|", oracle.Single(), StringComparison.Ordinal);
            Assert.All(decoded, line => Assert.DoesNotContain("?", line, StringComparison.Ordinal));
        }),
        new("pmacct/208-BMP-mem-leak-test__bmp-multi-sources-stats.pcap", "statistics", 2, 2, FrrUnknownStatType, (oracle, decoded) =>
        {
            Assert.Equal(["type 7=3206", "type 8=3450"], oracle);
            Assert.Equal(["type 7=3382", "type 8=3626"], decoded);
        }),
        new("traffic-reproducer/pcap_processing__bmp-multi-sources.pcap", "statistics", 15, 15, TsharkLostFraming, (oracle, decoded) =>
        {
            // Every count of ours is at least the oracle's, and the reports themselves differ by the 234 it lost.
            var theirs = Counts(oracle);
            var ours = Counts(decoded);
            Assert.Equal(theirs.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
            Assert.All(ours, kv => Assert.True(kv.Value > theirs[kv.Key], kv.Key));
            Assert.Equal(234, ours["messages"] - theirs["messages"]);
        }),
    ];

    public static Deviation? For(string capture, string kind) => All.SingleOrDefault(d => d.Capture == capture && d.Kind == kind);

    private static Dictionary<string, long> Counts(List<string> lines) =>
        lines.ToDictionary(line => line[..line.IndexOf('=')], line => long.Parse(line[(line.IndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
