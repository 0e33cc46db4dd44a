namespace Bmpmon.Tests.Conformance;

/// <summary>Every capture (pcap, pcapng, raw BMP dump) of the shared fixtures that has an oracle, relative to the fixtures root.</summary>
internal static class FixtureCaptures
{
    /// <summary>The captures; a single placeholder when the fixtures are missing, so the test still runs (and fails under CI).</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        if (Fixtures.Root is not { } root)
        {
            data.Add("(fixtures missing)");
            return data;
        }

        foreach (var oracle in Directory.EnumerateFiles(root, "*.expected.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, oracle[..^".expected.json".Length]));
        }

        return data;
    }
}
