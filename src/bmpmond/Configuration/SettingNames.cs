namespace Bmpmond.Configuration;

/// <summary>Suggests the setting an unknown <c>BMPMOND_*</c> name was probably meant to be.</summary>
internal static class SettingNames
{
    /// <summary>The closest known setting by edit distance, when it is close enough to be a typo (at most 3 edits).</summary>
    public static string? Closest(string name)
    {
        string upper = name.ToUpperInvariant();
        string? best = null;
        int bestDistance = 4;
        foreach (var setting in SettingsTable.All)
        {
            int distance = Distance(upper, setting.Name);
            if (distance < bestDistance)
            {
                best = setting.Name;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance with two rows (names are short).</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
