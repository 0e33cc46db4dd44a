using Bmpmond.Configuration;
using static Bmpmon.Tests.Configuration.ConfigTestSupport;

namespace Bmpmon.Tests.Configuration;

public class SettingsTableTests
{
    private static string ReadmeConfigurationSection()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string readme = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(Path.Combine(dir.FullName, "bmpmond.sln")) && File.Exists(readme))
            {
                string text = File.ReadAllText(readme);
                int start = text.IndexOf("\n## Configuration\n", StringComparison.Ordinal);
                Assert.True(start >= 0, "README.md has no '## Configuration' section");
                int end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
                return end < 0 ? text[start..] : text[start..end];
            }
        }

        Assert.Fail($"README.md not found above {AppContext.BaseDirectory}");
        return "";
    }

    [Fact]
    public void The_readme_table_lists_every_setting_and_nothing_else()
    {
        var rows = new List<string>();
        foreach (string line in ReadmeConfigurationSection().Split('\n'))
        {
            if (line.StartsWith("| `BMPMOND_", StringComparison.Ordinal))
            {
                rows.Add(line.TrimEnd());
            }
        }

        var expected = new List<string>();
        foreach (var setting in SettingsTable.All)
        {
            expected.Add(setting.MarkdownRow);
        }

        // Same rows, same order: the README table is SettingsTable rendered (update both together).
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void Names_are_unique_and_prefixed()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in SettingsTable.All)
        {
            Assert.StartsWith(SettingsTable.Prefix, setting.Name, StringComparison.Ordinal);
            Assert.True(names.Add(setting.Name), setting.Name);
            Assert.False(SettingsTable.IsReserved(setting.Name), setting.Name);
        }
    }

    [Fact]
    public void Every_documented_default_parses_to_the_built_in_default()
    {
        var builtIn = LoadOk();
        foreach (var setting in SettingsTable.All)
        {
            if (setting.Default is null)
            {
                continue;
            }

            var options = LoadOk((setting.Name, setting.Default));
            Assert.Equal(builtIn.Listen, options.Listen);
            Assert.Equal(builtIn.AllowedRouters, options.AllowedRouters);
            Assert.Equal(builtIn.MaxSessions, options.MaxSessions);
            Assert.Equal(builtIn.MaxMessageBytes, options.MaxMessageBytes);
            Assert.Equal(builtIn.MaxPendingBytes, options.MaxPendingBytes);
            Assert.Equal(builtIn.Output, options.Output);
            Assert.Equal(builtIn.LogLevel, options.LogLevel);
            Assert.Equal(builtIn.StatsInterval, options.StatsInterval);
            Assert.Equal(builtIn.SentryEnvironment, options.SentryEnvironment);
            Assert.Equal(builtIn.SentryTracesSampleRate, options.SentryTracesSampleRate);
            Assert.Equal(builtIn.ShutdownDrainTimeout, options.ShutdownDrainTimeout);
        }
    }

    [Fact]
    public void Every_setting_is_read_by_the_loader()
    {
        // A setting in the table that the loader forgot would be accepted and never checked: an
        // obviously bad value must be refused for each one (except the free-form database URL).
        foreach (var setting in SettingsTable.All)
        {
            if (setting.Name == SettingsTable.DatabaseUrl)
            {
                continue;
            }

            Assert.StartsWith(setting.Name + ": ", LoadError((setting.Name, "\u0001bad value")), StringComparison.Ordinal);
        }
    }
}
