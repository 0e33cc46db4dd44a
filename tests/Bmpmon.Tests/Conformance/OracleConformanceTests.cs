using System.Text.Json;
using Bmpmon.Core.Capture;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Iana;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// Decodes every capture in the shared fixtures and holds the result against the independent
/// oracle (Wireshark's dissector plus a stream walker, see the fixtures' README): messages per
/// type, NLRI announced/withdrawn per AFI/SAFI, End-of-RIB markers, and the sets of NLRI.
/// Where the oracle itself could not read a message, <see cref="OracleDeviations"/> states our
/// value and why; nothing is skipped silently.
/// </summary>
public sealed class OracleConformanceTests(ITestOutputHelper output)
{
    private static readonly string[] MessageTypeNames =
    [
        "0 Route Monitoring", "1 Statistics Report", "2 Peer Down Notification", "3 Peer Up Notification",
        "4 Initiation", "5 Termination", "6 Route Mirroring",
    ];

    public static TheoryData<string> Captures() => FixtureCaptures.All();

    [FixtureTheory]
    [MemberData(nameof(Captures))]
    public void Decoding_agrees_with_the_oracle(string capture)
    {
        var root = Fixtures.RequireRoot();

        var path = Path.Combine(root, capture);
        var result = DecodeCapture(path);
        using var oracle = JsonDocument.Parse(File.ReadAllBytes(path + ".expected.json"));
        var expected = oracle.RootElement;

        foreach (var error in result.Sink.Errors.Take(20))
        {
            output.WriteLine($"decode error: {error}");
        }

        AssertMessageCounts(capture, expected, result.Summary);
        AssertNlriCounts(capture, expected, result.Summary);
        AssertNlriSets(capture, path, result.Sink);
        Assert.Equal(OracleDeviations.ExpectedErrors(capture), result.Summary.Errors.Values.Sum());
    }

    internal static (DecodeSummary Summary, NlriKeySink Sink) DecodeCapture(string path)
    {
        var summary = new DecodeSummary { Files = 1 };
        var sink = new NlriKeySink(summary);
        var file = CaptureReader.Read(File.ReadAllBytes(path));
        Assert.Null(file.Error);
        foreach (var stream in file.Streams)
        {
            using var decoder = new BmpStreamDecoder();
            decoder.Feed(stream.Payload, ref sink);
            if (!decoder.Complete(out var framing))
            {
                // A capture may end inside a message (the oracle's walker calls it trailing_partial_bytes).
                sink.Errors.Add($"stream {stream.Index}: {framing}");
                if (framing!.Value.Error.Code != Core.Wire.Primitives.DecodeErrorCode.Truncated)
                {
                    summary.CountError(framing.Value.Error);
                }
            }
        }

        return (summary, sink);
    }

    /// <summary>Messages per type equal the walker's framing counts (the README says to trust the walker).</summary>
    private static void AssertMessageCounts(string capture, JsonElement expected, DecodeSummary summary)
    {
        var walker = new long[8];
        foreach (var stream in expected.GetProperty("tcp_streams").EnumerateArray())
        {
            if (!stream.TryGetProperty("walker", out var w))
            {
                continue;
            }

            foreach (var byType in w.GetProperty("by_type").EnumerateObject())
            {
                // Types the registry does not assign ("100 ?") are counted together, as the summary does.
                var type = Array.IndexOf(MessageTypeNames, byType.Name);
                walker[type < 0 ? 7 : type] += byType.Value.GetInt64();
            }
        }

        for (var type = 0; type < walker.Length; type++)
        {
            var name = type < MessageTypeNames.Length ? MessageTypeNames[type] : "unassigned types";
            Assert.True(
                walker[type] == summary.Messages((BmpMessageType)type),
                $"{capture}: {name}: oracle walker {walker[type]}, decoded {summary.Messages((BmpMessageType)type)}");
        }
    }

    private static void AssertNlriCounts(string capture, JsonElement expected, DecodeSummary summary)
    {
        var oracle = new Dictionary<string, (long Announced, long Withdrawn, long EndOfRib)>();
        if (expected.TryGetProperty("route_monitoring", out var rm) && rm.TryGetProperty("afi_safi", out var families))
        {
            foreach (var family in families.EnumerateObject())
            {
                oracle[family.Name] = (
                    family.Value.GetProperty("announced").GetInt64(),
                    family.Value.GetProperty("withdrawn").GetInt64(),
                    family.Value.GetProperty("end_of_rib_markers").GetInt64());
            }
        }

        OracleDeviations.Apply(capture, oracle);
        var decoded = summary.Nlri.ToDictionary(kv => kv.Key.Name, kv => (kv.Value.Announced, kv.Value.Withdrawn));
        var problems = new List<string>();
        foreach (var family in oracle.Keys.Union(decoded.Keys).Order(StringComparer.Ordinal))
        {
            oracle.TryGetValue(family, out var theirs);
            decoded.TryGetValue(family, out var ours);
            if ((theirs.Announced, theirs.Withdrawn) != ours)
            {
                problems.Add($"{family}: oracle announced/withdrawn {theirs.Announced}/{theirs.Withdrawn}, decoded {ours.Announced}/{ours.Withdrawn}");
            }
        }

        Assert.True(problems.Count == 0, $"{capture}: {string.Join("; ", problems)}");

        var oracleEndOfRib = oracle.Values.Sum(v => v.EndOfRib) + OracleDeviations.EndOfRibDelta(capture);
        Assert.True(oracleEndOfRib == summary.EndOfRib, $"{capture}: End-of-RIB oracle {oracleEndOfRib}, decoded {summary.EndOfRib}");
    }

    /// <summary>The sets of announced and withdrawn NLRI per family equal the oracle CSV's.</summary>
    private void AssertNlriSets(string capture, string path, NlriKeySink sink)
    {
        var csv = path + ".expected.nlri.csv";
        if (!File.Exists(csv))
        {
            output.WriteLine($"{capture}: the oracle has no NLRI list: it saw no Route Monitoring NLRI");
            Assert.All(sink.Keys, kv => Assert.True(kv.Value.Count == 0 || OracleDeviations.HasCountDeviation(capture, kv.Key.Family)));
            return;
        }

        var oracle = OracleNlriCsv.Read(csv);
        foreach (var ((family, withdrawn), keys) in oracle.Keys)
        {
            sink.Keys.TryGetValue((family, withdrawn), out var ours);
            ours ??= [];
            var missing = keys.Except(ours).ToList();
            var extra = ours.Except(keys).ToList();

            // Where the oracle garbled rows of a family, those NLRI are unknown to it: ours must
            // hold all it could read, and at most as many others as it garbled.
            var garbled = oracle.Unreadable.GetValueOrDefault(family);
            var extraAllowed = OracleDeviations.HasCountDeviation(capture, family) ? int.MaxValue : garbled;
            Assert.True(
                missing.Count == 0 && extra.Count <= extraAllowed,
                $"{capture}: {family} {(withdrawn ? "withdrawn" : "announced")}: missing [{string.Join(", ", missing.Take(5))}], " +
                $"extra [{string.Join(", ", extra.Take(5))}] ({extra.Count} extra, {garbled} garbled oracle rows)");
        }

        output.WriteLine($"{capture}: sets compared for {oracle.Keys.Count} family/kind pairs; garbled oracle rows: {string.Join(", ", oracle.Unreadable.Select(kv => $"{kv.Key} {kv.Value}"))}");
    }
}
