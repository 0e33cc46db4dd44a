using Bmpmon.Core.Capture;
using Bmpmon.Core.Decoding;
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
    public static TheoryData<string> Captures() => FixtureCaptures.All();

    [FixtureTheory]
    [MemberData(nameof(Captures))]
    public void Decoding_agrees_with_the_oracle(string capture)
    {
        var root = Fixtures.RequireRoot();

        var path = Path.Combine(root, capture);
        var result = DecodeCapture(path);
        foreach (var error in result.Sink.Errors.Take(20))
        {
            output.WriteLine($"decode error: {error}");
        }

        // Messages per type, NLRI per family, End-of-RIB and errors by reason (a capture that ends
        // inside a message counts one truncated, as bmpmond decode --summary does).
        var problems = OracleExpectation.Read(root, capture).Differences(result.Summary);
        Assert.True(problems.Count == 0, $"{capture}: {string.Join("; ", problems)}");
        AssertNlriSets(capture, path, result.Sink);
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
                // A capture may end inside a message (the oracle's walker calls it trailing_partial_bytes):
                // counted as truncated, as bmpmond decode does.
                sink.Errors.Add($"stream {stream.Index}: {framing}");
                summary.CountError(framing!.Value.Error);
            }
        }

        return (summary, sink);
    }

    /// <summary>
    /// The sets of announced and withdrawn NLRI per family equal the oracle CSV's, path identifiers
    /// and EVPN fields included. Every family either side holds is compared: one the CSV lacks
    /// (or a capture without a CSV) is an empty oracle set, which is the oracle's word too, since its
    /// counts must then agree (<see cref="OracleExpectation"/>). Where the oracle garbled rows of a
    /// family, those NLRI are unknown to it: ours may hold at most that many it lacks. Anything else
    /// must be stated in <see cref="OracleDeviations"/> with its exact number of extra and missing NLRI.
    /// </summary>
    private void AssertNlriSets(string capture, string path, NlriKeySink sink)
    {
        var csv = path + ".expected.nlri.csv";
        var oracle = File.Exists(csv) ? OracleNlriCsv.Read(csv) : new OracleNlriCsv();
        var problems = new List<string>();
        foreach (var (family, withdrawn) in oracle.Keys.Keys.Union(sink.Keys.Keys).Order())
        {
            var theirs = oracle.Keys.GetValueOrDefault((family, withdrawn)) ?? [];
            var ours = sink.Keys.GetValueOrDefault((family, withdrawn)) ?? [];
            var missing = theirs.Except(ours).ToList();
            var extra = ours.Except(theirs).ToList();
            var garbled = oracle.Unreadable.GetValueOrDefault((family, withdrawn));
            var kind = withdrawn ? "withdrawn" : "announced";
            var stated = OracleDeviations.SetDifference(capture, family, withdrawn);
            var agrees = stated is { } d
                ? missing.Count == d.Missing && extra.Count == d.Extra
                : missing.Count == 0 && extra.Count <= garbled;
            output.WriteLine($"{capture}: {family} {kind}: oracle {theirs.Count}, decoded {ours.Count}, extra {extra.Count}, missing {missing.Count}, garbled oracle rows {garbled}");
            if (!agrees)
            {
                problems.Add(
                    $"{family} {kind}: missing {missing.Count} [{string.Join(", ", missing.Take(5))}], extra {extra.Count} [{string.Join(", ", extra.Take(5))}]" +
                    $" ({garbled} garbled oracle rows; stated extra/missing: {(stated is { } s ? $"{s.Extra}/{s.Missing}" : "none")})");
            }
        }

        Assert.True(problems.Count == 0, $"{capture}: {string.Join("; ", problems)}");
        Assert.All(OracleDeviations.SetFamilies(capture), f => Assert.True(
            sink.Keys.ContainsKey(f) || oracle.Keys.ContainsKey(f),
            $"{capture}: the set deviation for {f.Family} {(f.Withdrawn ? "withdrawn" : "announced")} names a family neither side has"));
    }
}
