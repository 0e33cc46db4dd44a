using System.Text.Json;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// What a decode of one capture must give, read from the oracle (the walker's message counts, the
/// dissector's NLRI counts and End-of-RIB markers) with <see cref="OracleDeviations"/> applied where
/// the oracle is wrong. Used for the library's decode and for <c>bmpmond decode --summary</c> alike.
/// </summary>
internal sealed record OracleExpectation(
    long[] MessagesByType,
    Dictionary<string, (long Announced, long Withdrawn)> Nlri,
    long EndOfRib,
    Dictionary<string, long> Errors)
{
    /// <summary>The oracle's names of the message types, by type; index 7 collects types the registry does not assign.</summary>
    public static readonly string[] MessageTypeNames =
    [
        "0 Route Monitoring", "1 Statistics Report", "2 Peer Down Notification", "3 Peer Up Notification",
        "4 Initiation", "5 Termination", "6 Route Mirroring",
    ];

    /// <summary>Reads the expectation of <paramref name="capture"/> (relative to the fixtures) from its <c>.expected.json</c>.</summary>
    public static OracleExpectation Read(string root, string capture)
    {
        using var oracle = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, capture) + ".expected.json"));
        var expected = oracle.RootElement;

        // Messages per type: the walker's framing counts (the fixtures' README says to trust the walker).
        var walker = new long[8];
        var truncatedStreams = 0L;
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

            // A stream that ends inside a message: a truncated input, reported as such.
            if (w.TryGetProperty("trailing_partial_bytes", out var partial) && partial.ValueKind == JsonValueKind.Number && partial.GetInt64() > 0)
            {
                truncatedStreams++;
            }
        }

        var nlri = new Dictionary<string, (long Announced, long Withdrawn, long EndOfRib)>();
        if (expected.TryGetProperty("route_monitoring", out var rm) && rm.TryGetProperty("afi_safi", out var families))
        {
            foreach (var family in families.EnumerateObject())
            {
                nlri[family.Name] = (
                    family.Value.GetProperty("announced").GetInt64(),
                    family.Value.GetProperty("withdrawn").GetInt64(),
                    family.Value.GetProperty("end_of_rib_markers").GetInt64());
            }
        }

        OracleDeviations.Apply(capture, nlri);
        var errors = new Dictionary<string, long>(OracleDeviations.ExpectedErrors(capture));
        if (truncatedStreams > 0)
        {
            errors["truncated"] = errors.GetValueOrDefault("truncated") + truncatedStreams;
        }

        return new OracleExpectation(
            walker,
            nlri.Where(kv => kv.Value.Announced + kv.Value.Withdrawn > 0).ToDictionary(kv => kv.Key, kv => (kv.Value.Announced, kv.Value.Withdrawn)),
            nlri.Values.Sum(v => v.EndOfRib) + OracleDeviations.EndOfRibDelta(capture),
            errors);
    }

    /// <summary>The differences from a decode's counts, one line each; empty when they agree.</summary>
    public List<string> Differences(
        Func<BmpMessageType, long> messages,
        IReadOnlyDictionary<string, (long Announced, long Withdrawn)> nlri,
        long endOfRib,
        IReadOnlyDictionary<string, long> errors)
    {
        var problems = new List<string>();
        for (var type = 0; type < MessagesByType.Length; type++)
        {
            var name = type < MessageTypeNames.Length ? MessageTypeNames[type] : "unassigned types";
            if (MessagesByType[type] != messages((BmpMessageType)type))
            {
                problems.Add($"{name}: oracle walker {MessagesByType[type]}, decoded {messages((BmpMessageType)type)}");
            }
        }

        foreach (var family in Nlri.Keys.Union(nlri.Where(kv => kv.Value.Announced + kv.Value.Withdrawn > 0).Select(kv => kv.Key)).Order(StringComparer.Ordinal))
        {
            Nlri.TryGetValue(family, out var theirs);
            nlri.TryGetValue(family, out var ours);
            if (theirs != ours)
            {
                problems.Add($"{family}: oracle announced/withdrawn {theirs.Announced}/{theirs.Withdrawn}, decoded {ours.Announced}/{ours.Withdrawn}");
            }
        }

        if (EndOfRib != endOfRib)
        {
            problems.Add($"End-of-RIB: oracle {EndOfRib}, decoded {endOfRib}");
        }

        var expectedErrors = string.Join(", ", Errors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));
        var decodedErrors = string.Join(", ", errors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));
        if (expectedErrors != decodedErrors)
        {
            problems.Add($"errors: expected [{expectedErrors}], decoded [{decodedErrors}]");
        }

        return problems;
    }

    /// <summary>The differences from a library decode.</summary>
    public List<string> Differences(DecodeSummary summary) =>
        Differences(
            summary.Messages,
            summary.Nlri.ToDictionary(kv => kv.Key.Name, kv => (kv.Value.Announced, kv.Value.Withdrawn)),
            summary.EndOfRib,
            summary.Errors.ToDictionary(kv => kv.Key, kv => (long)kv.Value));
}
