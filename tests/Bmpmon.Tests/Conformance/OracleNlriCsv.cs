namespace Bmpmon.Tests.Conformance;

/// <summary>
/// Reads an oracle <c>X.expected.nlri.csv</c> into the same keys <see cref="NlriKeySink"/> makes:
/// label text dropped, "RD=rd:prefix" reduced to "rd:prefix", EVPN reduced to route type, RD and
/// Ethernet tag.
/// </summary>
internal sealed class OracleNlriCsv
{
    public Dictionary<(string Family, bool Withdrawn), HashSet<string>> Keys { get; } = [];

    /// <summary>
    /// Rows per family whose NLRI text Wireshark 4.0 garbled: an unexpanded format string
    /// ("Label Stack=%s RD=%u.%u:%u, IPv6=%s/%u") or a label with no prefix ("65586 (bottom)").
    /// </summary>
    public Dictionary<string, int> Unreadable { get; } = [];

    public static OracleNlriCsv Read(string path)
    {
        var result = new OracleNlriCsv();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = SplitCsv(line);
            var family = fields[5];
            var withdrawn = fields[6] == "withdrawn";
            var nlri = fields[7];
            if (IsGarbled(nlri))
            {
                result.Unreadable[family] = result.Unreadable.GetValueOrDefault(family) + 1;
                continue;
            }

            var key = (family, withdrawn);
            if (!result.Keys.TryGetValue(key, out var set))
            {
                result.Keys[key] = set = [];
            }

            set.Add(KeyOf(nlri));
        }

        return result;
    }

    private static bool IsGarbled(string nlri) =>
        nlri.Contains('%', StringComparison.Ordinal) || (!nlri.StartsWith("evpn:", StringComparison.Ordinal) && !nlri.Contains('/', StringComparison.Ordinal));

    private static string KeyOf(string nlri)
    {
        if (nlri.StartsWith("evpn:", StringComparison.Ordinal))
        {
            var parts = nlri["evpn:".Length..].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
            return $"rt={parts["rt"]},rd={parts["rd"].Replace(":", "", StringComparison.Ordinal)},etag={parts.GetValueOrDefault("etag", "0")}";
        }

        var text = nlri.Split(' ')[0];
        return text.StartsWith("RD=", StringComparison.Ordinal) ? text[3..] : text;
    }

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
