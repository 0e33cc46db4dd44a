using System.Buffers.Binary;
using System.Text.Json;
using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

/// <summary>Every UPDATE in the real captures must split and decode (RFC 7854 s4.6 Route Monitoring).</summary>
public sealed class FixtureUpdateTests(ITestOutputHelper output)
{
    private const int CommonHeaderLength = 6;
    private const int PerPeerHeaderLength = 42;
    private const int BgpHeaderLength = 19;
    private const byte RouteMonitoring = 0;
    private const byte BgpUpdateType = 2;
    private const byte LegacyAsPathFlag = 0x20;
    private static readonly byte[] BgpMarker = [.. Enumerable.Repeat((byte)0xFF, 16)];

    [FixtureTheory]
    [InlineData("pmacct")]
    [InlineData("netgauze")]
    [InlineData("traffic-reproducer")]
    public void Every_route_monitoring_update_decodes(string folder)
    {
        var root = Fixtures.RequireRoot();

        var text = new char[4096];
        int v4 = 0, updates = 0, attributes = 0, mismatches = 0, malformed = 0, endOfRib = 0;
        var files = FixtureStreams.RawFiles(root, folder);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            foreach (var (offset, message) in FixtureStreams.Messages(file))
            {
                var msg = message.AsSpan();
                var length = msg.Length;
                if (msg[0] is not (3 or 4) || msg[5] != RouteMonitoring || length < CommonHeaderLength + PerPeerHeaderLength + BgpHeaderLength)
                {
                    continue;
                }

                var fourOctetAsn = (msg[CommonHeaderLength + 1] & LegacyAsPathFlag) == 0;
                var bgpStart = CommonHeaderLength + PerPeerHeaderLength;
                if (msg[0] == 4)
                {
                    // BMP v4 (draft-ietf-grow-bmp-tlv) puts TLVs around the BGP PDU: find its marker.
                    var marker = msg[bgpStart..].IndexOf(BgpMarker);
                    if (marker < 0)
                    {
                        continue;
                    }

                    bgpStart += marker;
                    v4++;
                }

                // Some Cisco exporters append bytes after the UPDATE: trust the BGP length.
                var bgpLength = BinaryPrimitives.ReadUInt16BigEndian(msg[(bgpStart + 16)..]);
                Assert.InRange(bgpLength, BgpHeaderLength, length - bgpStart);
                if (msg[bgpStart + 18] != BgpUpdateType)
                {
                    continue;
                }

                var bodyOffset = bgpStart + BgpHeaderLength;
                var body = msg.Slice(bodyOffset, bgpLength - BgpHeaderLength);
                var where = $"{Path.GetFileName(file)} message at stream offset {offset}";
                Assert.True(BgpUpdate.TryParse(body, bodyOffset, out var update, out var error), $"{where}: {error}");
                Assert.True(
                    PathAttributes.TryParse(update.PathAttributes, update.PathAttributesOffset, fourOctetAsn, out var pa, out error),
                    $"{where}: {error}");
                Assert.True(pa.AsPath.TryFormat(text, out _), where);
                updates++;
                attributes += pa.Count;
                mismatches += pa.AsnSizeMismatch ? 1 : 0;
                malformed += pa.MalformedCount;
                endOfRib += EndOfRib.TryGetFamily(update, pa, out _) ? 1 : 0;
            }
        }

        if (folder == "pmacct")
        {
            // The oracle (Wireshark) reads every UPDATE of these captures: End-of-RIB counts must match.
            Assert.Equal(ExpectedEndOfRib(root, folder, files), endOfRib);
        }

        output.WriteLine($"{folder}: {files.Length} streams, {updates} UPDATEs, {attributes} attributes, {mismatches} ASN width mismatches, {malformed} malformed attributes, {endOfRib} End-of-RIB, {v4} BMP v4");
        Assert.True(updates > 0);
    }

    private static int ExpectedEndOfRib(string root, string folder, string[] streamFiles)
    {
        var total = 0;
        foreach (var capture in streamFiles.Select(f => Path.GetFileName(f)[..Path.GetFileName(f).IndexOf(".stream", StringComparison.Ordinal)]).Distinct())
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, folder, capture + ".expected.json")));
            foreach (var family in json.RootElement.GetProperty("route_monitoring").GetProperty("afi_safi").EnumerateObject())
            {
                total += family.Value.GetProperty("end_of_rib_markers").GetInt32();
            }
        }

        return total;
    }
}
