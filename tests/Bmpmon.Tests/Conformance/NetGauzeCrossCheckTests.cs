using System.Text.Json;
using Bmpmon.Core.Wire.Iana;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// A third, independent view: NetGauze's own decode of its captures (netgauze/netgauze-expected,
/// one JSON object per BMP message). Messages per type, NLRI announced and withdrawn (classic and
/// MP), and End-of-RIB markers must equal ours. This is what backs the deviations from Wireshark's
/// oracle for the BMP v4 captures. The messages' content is compared in <see cref="NetGauzeContentTests"/>.
/// </summary>
public sealed class NetGauzeCrossCheckTests(ITestOutputHelper output)
{
    private static readonly (string Name, BmpMessageType Type)[] Types =
    [
        ("RouteMonitoring", BmpMessageType.RouteMonitoring), ("StatisticsReport", BmpMessageType.StatisticsReport),
        ("PeerDownNotification", BmpMessageType.PeerDownNotification), ("PeerUpNotification", BmpMessageType.PeerUpNotification),
        ("Initiation", BmpMessageType.Initiation), ("Termination", BmpMessageType.Termination),
        ("RouteMirroring", BmpMessageType.RouteMirroring),
    ];

    public static TheoryData<string> Decodes()
    {
        var data = new TheoryData<string>();
        var folder = Fixtures.Root is { } root ? Path.Combine(root, "netgauze", "netgauze-expected") : null;
        if (folder is null || !Directory.Exists(folder))
        {
            data.Add("(fixtures missing)");
            return data;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*-bmp.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [FixtureTheory]
    [MemberData(nameof(Decodes))]
    public void Counts_equal_netgauzes_own_decode(string decode)
    {
        var root = Fixtures.RequireRoot();

        var folder = Path.Combine(root, "netgauze");
        var stem = decode[..^"-bmp.json".Length];
        var capture = Directory.EnumerateFiles(folder, stem + ".pcap*").Single(f => !f.Contains(".expected", StringComparison.Ordinal));
        var (summary, _) = OracleConformanceTests.DecodeCapture(capture);

        var messages = new long[7];
        long announced = 0, withdrawn = 0, endOfRib = 0;
        foreach (var line in File.ReadLines(Path.Combine(folder, "netgauze-expected", decode)))
        {
            using var document = JsonDocument.Parse(line);
            var body = document.RootElement.EnumerateObject().Single().Value.EnumerateObject().Single();
            messages[(int)Types.Single(t => t.Name == body.Name).Type]++;
            if (body.Name == "RouteMonitoring")
            {
                CountUpdate(body.Value, ref announced, ref withdrawn, ref endOfRib);
            }
        }

        foreach (var (name, type) in Types)
        {
            Assert.True(messages[(int)type] == summary.Messages(type), $"{decode}: {name}: NetGauze {messages[(int)type]}, decoded {summary.Messages(type)}");
        }

        Assert.Equal(announced, summary.Nlri.Values.Sum(c => c.Announced));
        Assert.Equal(withdrawn, summary.Nlri.Values.Sum(c => c.Withdrawn));
        Assert.Equal(endOfRib, summary.EndOfRib);
        output.WriteLine($"{decode}: {announced} announced, {withdrawn} withdrawn, {endOfRib} End-of-RIB agree with NetGauze");
    }

    private static void CountUpdate(JsonElement routeMonitoring, ref long announced, ref long withdrawn, ref long endOfRib)
    {
        var pdu = routeMonitoring.TryGetProperty("update_pdu", out var v4) ? v4.GetProperty("value") : routeMonitoring.GetProperty("update_message");
        var update = (pdu.TryGetProperty("BgpUpdate", out var wrapped) ? wrapped : pdu).GetProperty("Update");
        var nlri = update.GetProperty("nlri").GetArrayLength();
        var withdrawnRoutes = update.GetProperty("withdrawn_routes").GetArrayLength();
        var attributes = update.GetProperty("path_attributes");
        announced += nlri;
        withdrawn += withdrawnRoutes;
        var mpUnreachNlri = -1;
        foreach (var attribute in attributes.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            if (value.TryGetProperty("MpReach", out var reach))
            {
                announced += Count(reach);
            }
            else if (value.TryGetProperty("MpUnreach", out var unreach))
            {
                mpUnreachNlri = Count(unreach);
                withdrawn += mpUnreachNlri;
            }
        }

        // RFC 4724 s2: no routes at all, or nothing but an empty MP_UNREACH_NLRI.
        var attributeCount = attributes.GetArrayLength();
        if (nlri == 0 && withdrawnRoutes == 0 && (attributeCount == 0 || (attributeCount == 1 && mpUnreachNlri == 0)))
        {
            endOfRib++;
        }
    }

    private static int Count(JsonElement multiprotocol)
    {
        var family = multiprotocol.EnumerateObject().Single().Value;
        return family.TryGetProperty("nlri", out var nlri) ? nlri.GetArrayLength() : 0;
    }
}
