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
