namespace Bmpmon.Tests.Conformance;

/// <summary>
/// Reads an oracle <c>X.expected.nlri.csv</c> into the same keys <see cref="NlriKeySink"/> makes:
/// label text of unicast/VPN rows dropped (the README says to compare prefixes and RDs, not label
/// text), "RD=rd:prefix" reduced to "rd:prefix", the path identifier appended where the row has one,
/// and EVPN rows in full (route type, RD, ESI, Ethernet tag, labels, and MAC/IP fields).
/// </summary>
internal sealed class OracleNlriCsv
{
    public Dictionary<(string Family, bool Withdrawn), HashSet<string>> Keys { get; } = [];

    /// <summary>
    /// Rows per family whose NLRI text Wireshark 4.0 garbled: an unexpanded format string
    /// ("Label Stack=%s RD=%u.%u:%u, IPv6=%s/%u") or a label with no prefix ("65586 (bottom)").
    /// </summary>
    public Dictionary<(string Family, bool Withdrawn), int> Unreadable { get; } = [];

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
                result.Unreadable[(family, withdrawn)] = result.Unreadable.GetValueOrDefault((family, withdrawn)) + 1;
                continue;
            }

            var key = (family, withdrawn);
            if (!result.Keys.TryGetValue(key, out var set))
            {
                result.Keys[key] = set = [];
            }

            set.Add(NlriKeySink.WithPathId(KeyOf(nlri), fields[8].Length == 0 ? null : uint.Parse(fields[8], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private static bool IsGarbled(string nlri) =>
        nlri.Contains('%', StringComparison.Ordinal) || (!nlri.StartsWith("evpn:", StringComparison.Ordinal) && !nlri.Contains('/', StringComparison.Ordinal));

    private static string KeyOf(string nlri)
    {
        if (nlri.StartsWith("evpn:", StringComparison.Ordinal))
        {
            return EvpnKeyOf(nlri["evpn:".Length..]);
        }

        var text = nlri.Split(' ')[0];
        return text.StartsWith("RD=", StringComparison.Ordinal) ? text[3..] : text;
    }

    /// <summary>
    /// Wireshark's EVPN fields (bgp.evpn.nlri.*) in the key form of <see cref="NlriKeySink.EvpnKeyOf"/>.
    /// Only the fields the fixtures hold are mapped (route type 1 rows); any other field name fails
    /// the read, so a fixture with MAC/IP or IP Prefix routes cannot be compared on a partial key.
    /// </summary>
    private static string EvpnKeyOf(string text)
    {
        var parts = text.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var key = new System.Text.StringBuilder();
        key.Append("rt=").Append(parts["rt"]).Append(",rd=").Append(parts["rd"].Replace(":", "", StringComparison.Ordinal));
        foreach (var (name, value) in parts)
        {
            switch (name)
            {
                case "rt" or "rd":
                    break;
                case "esi.type":
                    key.Append(",esi=").Append(byte.Parse(value, System.Globalization.CultureInfo.InvariantCulture).ToString("x2", System.Globalization.CultureInfo.InvariantCulture))
                        .Append(':').Append(parts["esi.value"].ToLowerInvariant());
                    break;
                case "esi.value":
                    break;
                case "esi.type0":
                    // The type-0 ESI's 9 operator-configured bytes: the same bytes as esi.value.
                    Assert.Equal(parts["esi.value"], value);
                    break;
                case "etag":
                    key.Append(",etag=").Append(value);
                    break;
                case "mpls_ls1":
                    key.Append(",label1=").Append(value);
                    break;
                case "mpls_ls2":
                    key.Append(",label2=").Append(value);
                    break;
                default:
                    throw new InvalidDataException($"oracle EVPN field '{name}' has no mapping in OracleNlriCsv.EvpnKeyOf ({text})");
            }
        }

        return key.ToString();
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
