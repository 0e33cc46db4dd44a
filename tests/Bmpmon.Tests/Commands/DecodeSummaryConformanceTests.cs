using System.Text;
using System.Text.Json;
using Bmpmon.Tests.Conformance;
using Bmpmond;

namespace Bmpmon.Tests.Commands;

/// <summary>
/// <c>bmpmond decode --summary</c>, as operators and scripts run it, agrees with the oracle on every
/// capture of the shared fixtures: messages per type, NLRI per family (and per RIB, summed), End-of-RIB
/// markers and errors by reason, with <see cref="OracleDeviations"/> where the oracle is wrong. A
/// capture that ends inside a message is a truncated input: errors.truncated counts it, stderr names
/// the stream offset and the exit status is 1, as the library conformance test also counts it.
/// </summary>
public sealed class DecodeSummaryConformanceTests
{
    private static readonly string[] MessageKeys =
        ["route_monitoring", "statistics_report", "peer_down", "peer_up", "initiation", "termination", "route_mirroring"];

    public static TheoryData<string> Captures() => FixtureCaptures.All();

    [FixtureTheory]
    [MemberData(nameof(Captures))]
    public void Summary_agrees_with_the_oracle(string capture)
    {
        var root = Fixtures.RequireRoot();
        var expected = OracleExpectation.Read(root, capture);
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var code = Cli.Run(["decode", "--summary", Path.Combine(root, capture)], stdout, stderr);

        using var summary = JsonDocument.Parse(Encoding.UTF8.GetString(stdout.ToArray()));
        var s = summary.RootElement;
        Assert.Equal(1, s.GetProperty("files").GetInt32());
        var messages = s.GetProperty("messages");
        var nlri = Families(s.GetProperty("nlri"));
        var errors = s.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetInt64());
        // The summary has no key for types the registry does not assign: they surface as unexpected_type errors.
        var problems = expected.Differences(
            type => (int)type < MessageKeys.Length ? messages.GetProperty(MessageKeys[(int)type]).GetInt64() : errors.GetValueOrDefault("unexpected_type"),
            nlri,
            s.GetProperty("end_of_rib").GetInt64(),
            errors);

        Assert.True(problems.Count == 0, $"{capture}: {string.Join("; ", problems)}");

        // Per RIB, summed over the RIBs: the same NLRI counts.
        var byRib = s.GetProperty("by_rib").EnumerateObject().SelectMany(rib => Families(rib.Value))
            .GroupBy(kv => kv.Key)
            .ToDictionary(g => g.Key, g => (g.Sum(kv => kv.Value.Announced), g.Sum(kv => kv.Value.Withdrawn)));
        Assert.Equal(nlri.OrderBy(kv => kv.Key, StringComparer.Ordinal), byRib.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        // Exit 1 exactly when something was not decodable; one stderr line per truncated stream at least.
        Assert.Equal(expected.Errors.Count > 0 ? 1 : 0, code);
        var truncatedLines = stderr.ToString().Split('\n').Count(l => l.Contains("(stream ends inside a message)", StringComparison.Ordinal));
        Assert.Equal(expected.Errors.GetValueOrDefault("truncated"), truncatedLines);
    }

    private static Dictionary<string, (long Announced, long Withdrawn)> Families(JsonElement families) =>
        families.EnumerateObject()
            .Select(f => (f.Name, Counts: (f.Value.GetProperty("announced").GetInt64(), f.Value.GetProperty("withdrawn").GetInt64())))
            .Where(f => f.Counts.Item1 + f.Counts.Item2 > 0)
            .ToDictionary(f => f.Name, f => f.Counts);
}
