using System.Text.Json;
using Bmpmon.Core.Capture;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// A fourth view: pmacct's own output for its captures (pmacct/pmacct-expected, one JSON object per
/// line). Every Initiation (sysName, sysDescr), Peer Up (peer, ASN, BGP ID, type, RIB flags, local
/// address and ports), Peer Down (peer, reason) and statistics counter (peer, type, value) pmacct
/// logged must be among what we decode from pmacct's captures. pmacct's harness replays captures of
/// other tests too ("multiple sources" logs routers of tests 200 and 201), so the events are looked
/// up in the decode of all pmacct captures; the values must match exactly.
/// </summary>
public sealed class PmacctCrossCheckTests(ITestOutputHelper output)
{
    public static TheoryData<string> Outputs()
    {
        var data = new TheoryData<string>();
        var folder = Fixtures.Root is { } root ? Path.Combine(root, "pmacct", "pmacct-expected") : null;
        if (folder is null || !Directory.Exists(folder))
        {
            data.Add("(fixtures missing)");
            return data;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [FixtureTheory]
    [MemberData(nameof(Outputs))]
    public void Events_pmacct_logged_are_decoded(string pmacctOutput)
    {
        var root = Fixtures.RequireRoot();

        var folder = Path.Combine(root, "pmacct");
        var ours = DecodedEvents(folder);
        var theirs = PmacctEvents(Path.Combine(folder, "pmacct-expected", pmacctOutput));
        var missing = theirs.Where(e => !ours.Events.Contains(e)).ToList();
        Assert.True(missing.Count == 0, $"{pmacctOutput}: {missing.Count} of {theirs.Count} pmacct events not decoded, e.g. {string.Join(" / ", missing.Take(3))}");
        output.WriteLine($"{pmacctOutput}: all {theirs.Count} distinct pmacct events found among our {ours.Events.Count}");
    }

    private static readonly Dictionary<string, EventSink> Decoded = [];

    private static EventSink DecodedEvents(string folder)
    {
        lock (Decoded)
        {
            if (!Decoded.TryGetValue(folder, out var sink))
            {
                sink = new EventSink();
                foreach (var capture in Directory.EnumerateFiles(folder, "*.pcap"))
                {
                    foreach (var stream in CaptureReader.Read(File.ReadAllBytes(capture)).Streams)
                    {
                        using var decoder = new BmpStreamDecoder();
                        decoder.Feed(stream.Payload, ref sink);
                    }
                }

                Decoded[folder] = sink;
            }

            return sink;
        }
    }

    private static HashSet<string> PmacctEvents(string path)
    {
        var events = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            using var document = JsonDocument.Parse(line);
            var e = document.RootElement;
            var type = e.TryGetProperty("bmp_msg_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "init":
                    events.Add($"init|{Text(e, "bmp_init_info_sysname")}|{Text(e, "bmp_init_info_sysdescr")}");
                    break;
                case "peer_up":
                    events.Add($"peer_up|{Peer(e)}|{Text(e, "local_ip")}|{e.GetProperty("local_port")}|{e.GetProperty("remote_port")}");
                    break;
                case "peer_down":
                    events.Add($"peer_down|{Peer(e)}|{e.GetProperty("reason_type")}");
                    break;
                case "stats":
                    events.Add($"stats|{Peer(e)}|{e.GetProperty("counter_type")}|{e.GetProperty("counter_value")}");
                    break;
            }
        }

        return events;
    }

    private static string Peer(JsonElement e) =>
        $"{Text(e, "peer_ip")}|{e.GetProperty("peer_asn")}|{Text(e, "bgp_id")}|{e.GetProperty("peer_type")}|post={Flag(e, "is_post")}|out={Flag(e, "is_out")}";

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    private static int Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;

    /// <summary>Records the non-route events in pmacct's terms.</summary>
    private sealed class EventSink : IBmpSink
    {
        public HashSet<string> Events { get; } = new(StringComparer.Ordinal);

        public void OnInitiation(in BmpMessage message, in InitiationMessage initiation)
        {
            var name = initiation.TryGetValue(InitiationTlvType.SysName, out var n) ? System.Text.Encoding.UTF8.GetString(n) : string.Empty;
            var description = initiation.TryGetValue(InitiationTlvType.SysDescr, out var d) ? System.Text.Encoding.UTF8.GetString(d) : string.Empty;
            Events.Add($"init|{name}|{description}");
        }

        public void OnPeerUp(in BmpMessage message, in PeerUpNotification peerUp, PeerState peer) =>
            Events.Add($"peer_up|{Peer(peerUp.Peer)}|{Address(peerUp.LocalAddress)}|{peerUp.LocalPort}|{peerUp.RemotePort}");

        public void OnPeerDown(in BmpMessage message, in PeerDownNotification peerDown, PeerState peer) =>
            Events.Add($"peer_down|{Peer(peerDown.Peer)}|{(byte)peerDown.Reason}");

        public void OnStatisticsReport(in BmpMessage message, in StatisticsReport report)
        {
            var tlvs = report.GetTlvs();
            while (tlvs.TryRead(out var tlv, out _))
            {
                Events.Add($"stats|{Peer(report.Peer)}|{(ushort)tlv.Type}|{tlv.Value}");
            }
        }

        public void OnMessage(in BmpMessage message)
        {
        }

        public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
        {
        }

        public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
        {
        }

        public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family)
        {
        }

        public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds)
        {
        }

        public void OnError(in BmpMessage message, in DecodeError error)
        {
        }

        public void OnMessageEnd(in BmpMessage message)
        {
        }

        private static string Peer(in PerPeerHeader peer) =>
            $"{Address(peer.PeerAddress)}|{peer.PeerAs}|{IpAddr.FromV4(peer.PeerBgpId)}|{(byte)peer.PeerType}|post={(peer.IsPostPolicy ? 1 : 0)}|out={(peer.IsAdjRibOut ? 1 : 0)}";

        // A Loc-RIB peer (RFC 9069) has an all-zero address, which we keep as "no address"; pmacct writes 0.0.0.0.
        private static string Address(IpAddr address) => address.HasValue ? address.ToString() : "0.0.0.0";
    }
}
