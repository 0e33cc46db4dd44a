namespace Bmpmon.Tests.Conformance;

/// <summary>Multiset arithmetic over rendered messages: the same message twice must be decoded twice.</summary>
internal static class Multiset
{
    /// <summary>The items of <paramref name="left"/> left over once each item of <paramref name="right"/> cancelled one equal item.</summary>
    public static List<string> Except(IEnumerable<string> left, IEnumerable<string> right)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in right)
        {
            counts[item] = counts.GetValueOrDefault(item) + 1;
        }

        var rest = new List<string>();
        foreach (var item in left)
        {
            if (counts.TryGetValue(item, out var n) && n > 0)
            {
                counts[item] = n - 1;
            }
            else
            {
                rest.Add(item);
            }
        }

        return rest;
    }
}
