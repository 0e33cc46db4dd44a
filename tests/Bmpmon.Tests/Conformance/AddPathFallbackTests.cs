using Xunit.Abstractions;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// The Add-Path fallbacks (RFC 7911 fields decoded against what the Peer Up OPENs negotiated) in
/// every capture, per peer, family and direction, each with the reason it happens. A change in the
/// Add-Path choice changes these numbers and fails here.
/// </summary>
public sealed class AddPathFallbackTests(ITestOutputHelper output)
{
    private sealed record Expected(string Capture, string Peer, string Family, bool WithPathIds, int Fields, string Why);

    private const string C208 = "pmacct/208-BMP-mem-leak-test__bmp-multi-sources-route-monitoring.pcap";
    private const string MultiSources = "traffic-reproducer/pcap_processing__bmp-multi-sources.pcap";
    private const string Vpnv4Stateless = "netgauze/vpnv4-stateless-with-withdraw__vpnv4-stateless-with-withdraw.pcap";
    private const string LocRib = "LocRib 198.51.100.17";

    private const string NoPeerUpOnlyFits =
        "the capture holds no Peer Up for this peer, so nothing negotiated Add-Path; every field carries path ids and, " +
        "read without them, does not parse (a path id byte taken for a prefix length runs past the field or the label/RD bits)";

    private const string NoPeerUpRepeats =
        "no Peer Up for this peer; path id 0 then a host route (192.0.2.15/32, 192.0.2.23/32; 2001:db8::15/128, ::23/128) " +
        "also parses without path ids as four 0/0 and the host route: the plain reading repeats an NLRI, so the path-id reading wins";

    private const string LastPeerUpWins =
        "Cisco sends one Peer Up per family for the same Loc-RIB instance (RD 0:0: IPv4 VPN, then IPv6 VPN; RD 4226809879:15: " +
        "IPv4 unicast, then IPv6 unicast), each negotiating Add-Path for its family only; the last one sets the peer's state, so " +
        "the other families are not negotiated and their fields, which only fit with path ids, fall back";

    private const string LastPeerUpRepeats =
        "as the previous row (IPv4 unicast not negotiated after the IPv6 unicast Peer Up), and the two fields fit both ways: " +
        "the plain reading is four 0.0.0.0/0 and the host route, a repeat, so the path-id reading wins";

    private const string StatelessV4 =
        "BMP v4 collector test without Peer Up (stateless): nothing negotiated, every VPNv4 field carries path ids " +
        "(NetGauze reads path ids 0-3) and fits only with them";

    /// <summary>
    /// Fields decoded against the negotiation, per capture, peer (RIB and address, or BGP ID for
    /// Loc-RIB), family and direction; captures not listed have none. Before the repetition rule the
    /// totals were 196 (208), 131 (bmp-multi-sources) and 14 (vpnv4-stateless): the 4 and 2 more are
    /// the fields that used to be read as 0/0 routes.
    /// </summary>
    private static readonly Expected[] Table =
    [
        new(C208, LocRib, "ipv4-labeled-unicast", WithPathIds: true, Fields: 45, NoPeerUpOnlyFits),
        new(C208, LocRib, "ipv4-unicast", WithPathIds: true, Fields: 2, NoPeerUpRepeats),
        new(C208, LocRib, "ipv4-vpn", WithPathIds: true, Fields: 52, NoPeerUpOnlyFits),
        new(C208, LocRib, "ipv6-labeled-unicast", WithPathIds: true, Fields: 34, NoPeerUpOnlyFits),
        new(C208, LocRib, "ipv6-unicast", WithPathIds: true, Fields: 2, NoPeerUpRepeats),
        new(C208, LocRib, "ipv6-vpn", WithPathIds: true, Fields: 65, NoPeerUpOnlyFits),
        new(MultiSources, LocRib, "ipv4-labeled-unicast", WithPathIds: true, Fields: 45, LastPeerUpWins),
        new(MultiSources, LocRib, "ipv4-unicast", WithPathIds: true, Fields: 2, LastPeerUpRepeats),
        new(MultiSources, LocRib, "ipv4-vpn", WithPathIds: true, Fields: 52, LastPeerUpWins),
        new(MultiSources, LocRib, "ipv6-labeled-unicast", WithPathIds: true, Fields: 34, LastPeerUpWins),
        new(Vpnv4Stateless, "AdjRibOutPost 1.1.1.1", "ipv4-vpn", WithPathIds: true, Fields: 1, StatelessV4),
        new(Vpnv4Stateless, "AdjRibOutPost 3.3.3.3", "ipv4-vpn", WithPathIds: true, Fields: 1, StatelessV4),
        new(Vpnv4Stateless, "AdjRibOutPre 1.1.1.1", "ipv4-vpn", WithPathIds: true, Fields: 4, StatelessV4),
        new(Vpnv4Stateless, "AdjRibOutPre 3.3.3.3", "ipv4-vpn", WithPathIds: true, Fields: 4, StatelessV4),
        new(Vpnv4Stateless, "PostPolicy 1.1.1.1", "ipv4-vpn", WithPathIds: true, Fields: 1, StatelessV4),
        new(Vpnv4Stateless, "PostPolicy 3.3.3.3", "ipv4-vpn", WithPathIds: true, Fields: 1, StatelessV4),
        new(Vpnv4Stateless, "PrePolicy 1.1.1.1", "ipv4-vpn", WithPathIds: true, Fields: 1, StatelessV4),
        new(Vpnv4Stateless, "PrePolicy 3.3.3.3", "ipv4-vpn", WithPathIds: true, Fields: 1, StatelessV4),
    ];

    public static TheoryData<string> Captures() => FixtureCaptures.All();

    [FixtureTheory]
    [MemberData(nameof(Captures))]
    public void Fallbacks_are_the_ones_explained(string capture)
    {
        var root = Fixtures.RequireRoot();

        var (summary, sink) = OracleConformanceTests.DecodeCapture(Path.Combine(root, capture));
        foreach (var ((peer, family, withPathIds), fields) in sink.Fallbacks.OrderBy(kv => kv.Key))
        {
            output.WriteLine($"{peer} {family} read {(withPathIds ? "with" : "without")} path ids: {fields} fields");
        }

        var expected = Table.Where(e => e.Capture == capture).ToDictionary(e => (e.Peer, e.Family, e.WithPathIds), e => e.Fields);
        Assert.Equal(expected.OrderBy(kv => kv.Key), sink.Fallbacks.OrderBy(kv => kv.Key));
        Assert.Equal(expected.Values.Sum(), summary.AddPathFallbacks);
    }
}
