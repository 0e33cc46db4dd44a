using System.Diagnostics;
using System.Text.RegularExpressions;
using Bmpmond.Configuration;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Packaging;

/// <summary>
/// The packaging files against the code they ship: the generated settings file and man page,
/// the systemd unit, the deb and rpm metadata, the container files and the docs. These cheap
/// checks always run. <see cref="PackageInstallTests"/> builds the real packages and installs the
/// .deb end to end (root, CI only).
/// </summary>
public sealed partial class PackagingTests(ITestOutputHelper output)
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void The_env_file_lists_every_setting_commented_with_its_default()
    {
        string env = RunTool("bash", "packaging/gen-env.sh", "README.md");
        string[] lines = env.Split('\n');

        foreach (var setting in SettingsTable.All)
        {
            string value = setting.Default ?? "";
            if (value.AsSpan().IndexOfAny([' ', ',']) >= 0)
            {
                value = $"\"{value}\"";
            }

            Assert.Contains($"#{setting.Name}={value}", lines);
            Assert.Contains(lines, l => l.StartsWith($"# {setting.Name} (default: ", StringComparison.Ordinal));
        }

        // Nothing is set: the shipped file means the built-in defaults.
        Assert.DoesNotContain(lines, l => l.StartsWith(SettingsTable.Prefix, StringComparison.Ordinal));
    }

    [Fact]
    public void The_env_file_loads_to_the_defaults()
    {
        string folder = Directory.CreateTempSubdirectory("bmpmond-env-").FullName;
        try
        {
            string path = Path.Combine(folder, "bmpmond.env");
            File.WriteAllText(path, RunTool("bash", "packaging/gen-env.sh", "README.md"));
            // As shipped, the default output (postgres) has no database: bmpmond stops naming the setting.
            Assert.False(OptionsLoader.TryLoad(new Dictionary<string, string>(), path, folder, path, out _, out var error, out _));
            Assert.StartsWith($"{SettingsTable.DatabaseUrl}: must be set when {SettingsTable.Output}=postgres", error, StringComparison.Ordinal);

            var url = new Dictionary<string, string> { [SettingsTable.DatabaseUrl] = "postgres://bmpmond@localhost/bmpmond" };
            Assert.True(OptionsLoader.TryLoad(url, path, folder, path, out var options, out error, out _), error);
            var defaults = new BmpmondOptions();
            Assert.Equal(defaults.Listen, options.Listen);
            Assert.Equal(defaults.Output, options.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_man_page_covers_every_verb_and_setting()
    {
        string man = RunTool("bash", "packaging/gen-man.sh", "9.9.9", "2026-01-01", "README.md");

        Assert.Contains("\"bmpmond 9.9.9\"", man, StringComparison.Ordinal);
        Assert.DoesNotContain("@", man.Replace("PUBLIC_KEY@HOST", "", StringComparison.Ordinal), StringComparison.Ordinal);
        foreach (string verb in CliVerbs())
        {
            Assert.Matches(new Regex($@"^\.B(R)? {Regex.Escape(verb.Replace("-", "\\-", StringComparison.Ordinal))}\b", RegexOptions.Multiline), man);
        }

        foreach (var setting in SettingsTable.All)
        {
            Assert.Contains($".B {setting.Name}\nDefault: ", man, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_systemd_unit_has_the_required_settings()
    {
        var unit = ReadUnit(File.ReadAllText(Path.Combine(Root, "systemd/bmpmond.service")));

        Assert.Equal(["notify"], unit["Type"]);
        Assert.Equal(["bmpmond"], unit["User"]);
        Assert.Equal(["-/etc/bmpmond/bmpmond.env"], unit["EnvironmentFile"]);
        Assert.Equal([$"/usr/bin/bmpmond run"], unit["ExecStart"]);
        Assert.Equal(["on-failure"], unit["Restart"]);
        Assert.Equal([""], unit["CapabilityBoundingSet"]);
        Assert.Equal(["AF_INET AF_INET6 AF_UNIX"], unit["RestrictAddressFamilies"]);
        Assert.Equal("@system-service", unit["SystemCallFilter"][0]);
        Assert.Equal(["strict"], unit["ProtectSystem"]);
        foreach (string yes in new[]
        {
            "NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
            "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "MemoryDenyWriteExecute",
            "LockPersonality", "RestrictRealtime", "RestrictNamespaces",
        })
        {
            Assert.True(unit.TryGetValue(yes, out var values) && values is ["yes"], $"{yes}=yes missing");
        }

        Assert.Equal(["native"], unit["SystemCallArchitectures"]);

        // bmpmond's own shutdown cap: the drain plus 5 s to close the sessions; systemd must wait longer.
        int stop = int.Parse(unit["TimeoutStopSec"].Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(stop > SettingsTable.MaxShutdownDrainSeconds + 5, $"TimeoutStopSec={stop}");
    }

    [Fact]
    public void The_backup_service_is_hardened_runs_the_packaged_script_and_the_timer_is_daily()
    {
        var service = ReadUnit(File.ReadAllText(Path.Combine(Root, "systemd/bmpmond-backup.service")));
        var main = ReadUnit(File.ReadAllText(Path.Combine(Root, "systemd/bmpmond.service")));
        Assert.Equal(["oneshot"], service["Type"]);
        Assert.Equal(["bmpmond"], service["User"]);
        Assert.Equal(main["EnvironmentFile"], service["EnvironmentFile"]);
        Assert.Equal(["/usr/lib/bmpmond/bmpmond-backup"], service["ExecStart"]);
        Assert.Equal(["/var/backups/bmpmond"], service["ReadWritePaths"]);
        Assert.False(service.ContainsKey("WantedBy")); // started by the timer only

        // The same hardening as the collector's unit, setting for setting.
        foreach (var (key, values) in main)
        {
            if (key is "ProtectSystem" or "NoNewPrivileges" or "CapabilityBoundingSet" or "SystemCallFilter" or "RestrictAddressFamilies"
                || key.StartsWith("Protect", StringComparison.Ordinal) || key.StartsWith("Restrict", StringComparison.Ordinal) || key.StartsWith("Private", StringComparison.Ordinal))
            {
                Assert.True(service.TryGetValue(key, out var mine) && mine.SequenceEqual(values), $"bmpmond-backup.service: {key} differs");
            }
        }

        var timer = ReadUnit(File.ReadAllText(Path.Combine(Root, "systemd/bmpmond-backup.timer")));
        Assert.Equal(["daily"], timer["OnCalendar"]);
        Assert.Equal(["true"], timer["Persistent"]);
        Assert.Equal(["timers.target"], timer["WantedBy"]);

        // Shipped disabled: postinst only records its state, never enables it.
        string postinst = File.ReadAllText(Path.Combine(Root, "packaging/deb/postinst"));
        Assert.DoesNotContain("enable bmpmond-backup", postinst, StringComparison.Ordinal);
        Assert.Contains("deb-systemd-helper update-state bmpmond-backup.timer", postinst, StringComparison.Ordinal);
        Assert.Contains("deb-systemd-helper enable bmpmond.service", postinst, StringComparison.Ordinal);
    }

    [Fact]
    public void Systemd_analyze_verifies_the_unit()
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            output.WriteLine("systemd-analyze not installed: only the unit's settings were checked");
            return;
        }

        // verify checks that ExecStart's program exists: point it at a stand-in when bmpmond is not installed.
        string folder = Directory.CreateTempSubdirectory("bmpmond-unit-").FullName;
        try
        {
            string text = File.ReadAllText(Path.Combine(Root, "systemd/bmpmond.service"));
            if (!File.Exists("/usr/bin/bmpmond"))
            {
                text = text.Replace("ExecStart=/usr/bin/bmpmond", "ExecStart=/bin/true", StringComparison.Ordinal);
            }

            string unit = Path.Combine(folder, "bmpmond.service");
            File.WriteAllText(unit, text);
            var (code, stdout, stderr) = Run("/usr/bin/systemd-analyze", folder, "verify", "--man=no", unit);
            Assert.True(code == 0 && stderr.Length == 0, $"systemd-analyze verify: exit {code}\n{stdout}{stderr}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_deb_metadata_is_complete_and_matches_the_version()
    {
        string deb = Path.Combine(Root, "packaging/deb");
        var control = ReadControl(File.ReadAllText(Path.Combine(deb, "control.in")));
        foreach (string field in new[] { "Package", "Version", "Architecture", "Maintainer", "Installed-Size", "Depends", "Section", "Priority", "Description" })
        {
            Assert.True(control.ContainsKey(field), $"control lacks {field}");
        }

        Assert.Equal("bmpmond", control["Package"]);
        Assert.Equal("@VERSION@", control["Version"]);
        Assert.Equal("amd64", control["Architecture"]);
        Assert.Contains("adduser", control["Depends"], StringComparison.Ordinal);
        Assert.Equal(["/etc/bmpmond/bmpmond.env"], File.ReadAllLines(Path.Combine(deb, "conffiles")));
        Assert.StartsWith($"bmpmond ({ProjectVersion()}) ", File.ReadAllLines(Path.Combine(deb, "changelog"))[0], StringComparison.Ordinal);

        foreach (string script in new[] { "postinst", "prerm", "postrm" })
        {
            string path = Path.Combine(deb, script);
            string[] lines = File.ReadAllLines(path);
            Assert.Equal("#!/bin/sh", lines[0]);
            Assert.Contains("set -e", lines);
            if (!OperatingSystem.IsWindows())
            {
                Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, $"{script} is not executable");
            }
        }

        string postinst = File.ReadAllText(Path.Combine(deb, "postinst"));
        Assert.Contains("adduser --system", postinst, StringComparison.Ordinal);
        Assert.Contains("chmod 0640 /etc/bmpmond/bmpmond.env", postinst, StringComparison.Ordinal);

        // Purge removes the settings and the user, never the operator's data.
        string postrm = File.ReadAllText(Path.Combine(deb, "postrm"));
        Assert.Contains("deluser --system", postrm, StringComparison.Ordinal);
        Assert.Contains("rmdir /etc/bmpmond", postrm, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"^\s*rm\b.*(/var/lib|-r)", RegexOptions.Multiline), postrm);
    }

    [Fact]
    public void The_rpm_spec_installs_the_same_files()
    {
        string spec = File.ReadAllText(Path.Combine(Root, "packaging/rpm/bmpmond.spec"));

        Assert.Contains("Version:        %{bmpmond_version}", spec, StringComparison.Ordinal);
        Assert.Contains("%config(noreplace) %attr(0640,root,bmpmond) %{_sysconfdir}/bmpmond/bmpmond.env", spec, StringComparison.Ordinal);
        Assert.Contains("%{_prefix}/lib/systemd/system/bmpmond.service", spec, StringComparison.Ordinal);
        Assert.Contains("%{_bindir}/bmpmond", spec, StringComparison.Ordinal);
        Assert.Contains("%{_mandir}/man8/bmpmond.8.gz", spec, StringComparison.Ordinal);
        Assert.Contains("useradd --system", spec, StringComparison.Ordinal);
        foreach (string file in new[] { "systemd/system/bmpmond-backup.service", "systemd/system/bmpmond-backup.timer", "bmpmond/bmpmond-backup", "bmpmond/bmpmond-restore", "bmpmond/bmpmond-pg.sh" })
        {
            Assert.Contains($"%{{_prefix}}/lib/{file}\n", spec, StringComparison.Ordinal);
        }

        Assert.Contains("%dir %attr(0750,bmpmond,bmpmond) %{_localstatedir}/backups/bmpmond", spec, StringComparison.Ordinal);
        Assert.Matches(new Regex($@"^\* .* - {Regex.Escape(ProjectVersion())}-1$", RegexOptions.Multiline), spec);
    }

    [Fact]
    public void The_container_files_build_like_package_sh_and_use_only_known_settings()
    {
        string packageSh = File.ReadAllText(Path.Combine(Root, "scripts/package.sh"));
        string dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile.aot"));
        const string Publish = "dotnet publish src/bmpmond/bmpmond.csproj -c Release -r linux-x64 -p:PublishAot=true";
        Assert.Contains(Publish, packageSh, StringComparison.Ordinal);
        Assert.Contains(Publish, dockerfile, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);
        Assert.Contains("CMD [\"/usr/bin/bmpmond\", \"check\"", dockerfile, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^USER \S+", RegexOptions.Multiline), dockerfile);

        string compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        Assert.Equal(2, Regex.Count(compose, @"replicas: \$\{[A-Z_]+_REPLICAS:-1\}"));

        // docker compose hands every .env line to bmpmond: an unknown BMPMOND_* name would stop it.
        string example = Path.Combine(Root, ".env.example");
        foreach (Match name in BmpmondName().Matches(File.ReadAllText(example)))
        {
            Assert.True(SettingsTable.Find(name.Value) is not null || SettingsTable.IsReserved(name.Value), $".env.example: {name.Value} is not a setting");
        }

        Assert.True(OptionsLoader.TryLoad(new Dictionary<string, string>(), example, Root, example, out _, out var error, out _), error);
    }

    [Fact]
    public void The_docs_table_and_events_match_the_code()
    {
        string configuration = File.ReadAllText(Path.Combine(Root, "docs/configuration.md"));
        var rows = configuration.Split('\n').Where(l => l.StartsWith("| `BMPMOND_", StringComparison.Ordinal)).Select(l => l.TrimEnd()).ToList();
        Assert.Equal(SettingsTable.All.Select(s => s.MarkdownRow).ToList(), rows);

        string operations = File.ReadAllText(Path.Combine(Root, "docs/operations.md"));
        string log = File.ReadAllText(Path.Combine(Root, "src/bmpmond/Logging/Log.cs"));
        var events = EventName().Matches(log).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(events);
        foreach (string name in events)
        {
            Assert.Contains($"| `{name}` |", operations, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"\bBMPMOND_[A-Z_]+")]
    private static partial Regex BmpmondName();

    [GeneratedRegex(@"EventName = ""([a-z_]+)""")]
    private static partial Regex EventName();

    /// <summary>The verbs of <c>bmpmond --help</c> (run, check, decode, replay, --version, --help).</summary>
    private static List<string> CliVerbs()
    {
        var stdout = new MemoryStream();
        Assert.Equal(0, Bmpmond.Cli.Run(["--help"], stdout, new StringWriter()));
        var verbs = new List<string>();
        foreach (Match m in Regex.Matches(System.Text.Encoding.UTF8.GetString(stdout.ToArray()), @"^\s+bmpmond \[?([a-z-]+)", RegexOptions.Multiline))
        {
            verbs.Add(m.Groups[1].Value);
        }

        Assert.Contains("check", verbs);
        return verbs;
    }

    private static Dictionary<string, List<string>> ReadUnit(string text)
    {
        var settings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' or '[')
            {
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0, $"not a unit setting: {line}");
            string key = line[..eq];
            if (!settings.TryGetValue(key, out var values))
            {
                settings[key] = values = [];
            }

            values.Add(line[(eq + 1)..]);
        }

        return settings;
    }

    private static Dictionary<string, string> ReadControl(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == ' ')
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            Assert.True(colon > 0, $"not a control field: {line}");
            fields[line[..colon]] = line[(colon + 1)..].Trim();
        }

        return fields;
    }

    private static string ProjectVersion()
    {
        var match = Regex.Match(File.ReadAllText(Path.Combine(Root, "Directory.Build.props")), "<Version>([^<]+)</Version>");
        Assert.True(match.Success, "Directory.Build.props has no <Version>");
        return match.Groups[1].Value;
    }

    private static string RunTool(string program, params string[] args)
    {
        var (code, stdout, stderr) = Run(program, Root, args);
        Assert.True(code == 0, $"{program} {string.Join(' ', args)}: exit {code}\n{stderr}");
        return stdout;
    }

    private static (int Code, string Stdout, string Stderr) Run(string program, string directory, params string[] args)
    {
        var info = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bmpmond.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"bmpmond.sln not found above {AppContext.BaseDirectory}");
    }
}
