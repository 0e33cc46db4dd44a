namespace Bmpmon.Tests.Conformance;

/// <summary>
/// Where the oracle is known to be wrong, what we expect instead and why. Every entry names the
/// capture, the family, our value and the reason; the conformance test applies them and asserts
/// our value, so an entry that stops being true fails the test.
/// </summary>
internal static class OracleDeviations
{
    private sealed record CountDeviation(string Capture, string Family, long Announced, long Withdrawn, string Why);

    private static readonly CountDeviation[] Counts =
    [
    ];

    /// <summary>Replaces the oracle's counts by ours where the oracle is wrong.</summary>
    public static void Apply(string capture, Dictionary<string, (long Announced, long Withdrawn, long EndOfRib)> oracle)
    {
        foreach (var d in Counts.Where(d => d.Capture == capture))
        {
            oracle.TryGetValue(d.Family, out var current);
            oracle[d.Family] = (d.Announced, d.Withdrawn, current.EndOfRib);
        }
    }

    /// <summary>End-of-RIB markers the oracle missed (positive) or invented (negative).</summary>
    public static long EndOfRibDelta(string capture) => capture switch
    {
        _ => 0,
    };

    /// <summary>Decode errors we expect in a capture, each a truly malformed message.</summary>
    public static long ExpectedErrors(string capture) => capture switch
    {
        _ => 0,
    };

    /// <summary>Families whose oracle NLRI set cannot be compared.</summary>
    public static bool SetNotComparable(string capture, string family) => false;
}
