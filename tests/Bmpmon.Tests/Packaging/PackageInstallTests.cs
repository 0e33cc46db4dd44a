using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bmpmon.Tests.Postgres;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Packaging;

/// <summary>
/// The .deb end to end on this machine, as an operator gets it: scripts/package.sh builds both
/// packages (lintian clean), dpkg installs the .deb, bmpmond runs the way bmpmond.service runs it
/// (the bmpmond user, the unit's EnvironmentFile, working directory /) against a throwaway
/// PostgreSQL, a fixture capture is replayed into it with <c>bmpmond replay</c>, the rows are
/// checked against the capture's oracle, <c>bmpmond check</c> (the container HEALTHCHECK) passes
/// while it runs, the packaged backup writes a dump, SIGTERM stops it with exit 0, and purge
/// leaves nothing behind but the operator's data (the dump). Only as root on Debian with CI=true
/// or BMPMON_PACKAGING_TESTS=1: it installs packages and adds and removes a system user.
/// </summary>
public sealed class PackageInstallTests(ITestOutputHelper output)
{
    private const string Capture = "traffic-reproducer/pcaps__bmp-traffic.pcap";
    private const string EnvFile = "/etc/bmpmond/bmpmond.env";

    private static readonly string Root = FindRoot();

    /// <summary>AFI/SAFI of the oracle's family names, as route_updates stores them.</summary>
    private static readonly Dictionary<string, string> Families = new(StringComparer.Ordinal)
    {
        ["ipv4-unicast"] = "1/1",
        ["ipv4-labeled-unicast"] = "1/4",
        ["ipv4-vpn"] = "1/128",
        ["ipv6-unicast"] = "2/1",
        ["ipv6-labeled-unicast"] = "2/4",
        ["ipv6-vpn"] = "2/128",
        ["l2vpn-evpn"] = "25/70",
    };

    [PackageInstallFact]
    public void Deb_installs_runs_against_postgresql_and_purges_clean()
    {
        var fixtures = Fixtures.RequireRoot();

        string version = ProjectVersion();
        var package = Run("bash", ["scripts/package.sh"]);
        Assert.True(package.Code == 0, $"package.sh: exit {package.Code}\n{package.Stderr}");
        string deb = Path.Combine(Root, "artifacts", $"bmpmond_{version}_amd64.deb");
        Assert.True(File.Exists(deb));
        Assert.True(File.Exists(Path.Combine(Root, "artifacts", $"bmpmond-{version}.x86_64.rpm")));
        Assert.DoesNotContain("\nE: ", "\n" + File.ReadAllText(Path.Combine(Root, "artifacts", "lintian.txt")), StringComparison.Ordinal);
        Assert.False(File.Exists("/usr/bin/bmpmond"), "bmpmond is installed on this machine: not replacing it");

        using var server = TestPostgres.Start(output);
        try
        {
            Must("dpkg", "-i", deb);
            AssertInstalled();
            AssertUnconfiguredStopsNamingTheUrl();

            // A database owned by a bmpmond role with a password, as an operator would set it up.
            server.Psql("CREATE ROLE bmpmond LOGIN PASSWORD 'e2e-secret'");
            server.Psql("CREATE DATABASE bmpmond_e2e OWNER bmpmond");
            string hba = Path.Combine(server.DataDirectory, "pg_hba.conf");
            File.WriteAllText(hba, "host all bmpmond 127.0.0.1/32 scram-sha-256\n" + File.ReadAllText(hba));
            server.Psql("SELECT pg_reload_conf()");
            int port = Daemon.TestDaemon.FreePort();
            File.AppendAllText(EnvFile, $"""

                BMPMOND_DATABASE_URL=postgres://bmpmond:e2e-secret@127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}/bmpmond_e2e
                BMPMOND_LISTEN=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}

                """);

            using var daemon = StartAsTheUnitDoes(["/usr/bin/bmpmond", "run"]);
            var logs = new System.Text.StringBuilder();
            daemon.ErrorDataReceived += (_, e) => { lock (logs) { logs.AppendLine(e.Data); } };
            daemon.OutputDataReceived += (_, e) => { lock (logs) { logs.AppendLine(e.Data); } };
            daemon.BeginErrorReadLine();
            daemon.BeginOutputReadLine();
            try
            {
                // The container HEALTHCHECK's command, as the service user with the same settings.
                string check = "";
                for (var i = 0; i < 100 && !check.StartsWith("bmpmond check: ok", StringComparison.Ordinal); i++)
                {
                    Thread.Sleep(100);
                    Assert.False(daemon.HasExited, $"bmpmond exited {(daemon.HasExited ? daemon.ExitCode : 0)}:\n{logs}");
                    check = RunAsTheUnitDoes(["/usr/bin/bmpmond", "check", "--timeout", "3"]).Stdout;
                }

                Assert.Contains("database answers, schema bmpmon at version", check, StringComparison.Ordinal);

                var replay = Run("/usr/bin/bmpmond", ["replay", Path.Combine(fixtures, Capture), "--to", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"]);
                Assert.True(replay.Code == 0, $"replay: {replay.Stdout}{replay.Stderr}");
                AssertRowsMatchTheOracle(server, Path.Combine(fixtures, Capture + ".expected.json"));

                // The packaged backup as its service runs it: the bmpmond user, the same settings file.
                var backup = RunAsTheUnitDoes(["/usr/lib/bmpmond/bmpmond-backup"]);
                Assert.True(backup.Code == 0, $"bmpmond-backup: {backup.Stdout}{backup.Stderr}");
                Assert.Single(Directory.GetFiles("/var/backups/bmpmond", "bmpmond-*.dump"));

                // SIGTERM to bmpmond itself, as systemd's KillSignal would (runuser's child: env execs it).
                Must("kill", "-TERM", ChildOf(daemon.Id));
                Assert.True(daemon.WaitForExit(70_000), "no exit within 70 s of SIGTERM");
                daemon.WaitForExit();
                Assert.True(daemon.ExitCode == 0, $"exit {daemon.ExitCode}:\n{logs}");
            }
            finally
            {
                if (!daemon.HasExited)
                {
                    Run("kill", ["-KILL", ChildOf(daemon.Id)]);
                    daemon.Kill();
                }
            }
        }
        finally
        {
            Run("dpkg", ["--purge", "bmpmond"]);
        }

        AssertPurgedButTheDumpKept();
    }

    private void AssertInstalled()
    {
        Assert.Contains("bmpmond", Must("getent", "passwd", "bmpmond"), StringComparison.Ordinal);
        Assert.Equal("640 root:bmpmond\n", Must("stat", "-c", "%a %U:%G", EnvFile));
        Assert.Equal("750 bmpmond:bmpmond\n", Must("stat", "-c", "%a %U:%G", "/var/backups/bmpmond"));

        // Enabled like a Debian service; the backup timer shipped but left to the operator.
        Assert.True(File.Exists("/etc/systemd/system/multi-user.target.wants/bmpmond.service"), "bmpmond.service not enabled");
        Assert.False(File.Exists("/etc/systemd/system/timers.target.wants/bmpmond-backup.timer"), "backup timer enabled");

        // The installed units with the installed binary and scripts.
        var verify = Run("systemd-analyze", ["verify", "--man=no", "/lib/systemd/system/bmpmond.service", "/lib/systemd/system/bmpmond-backup.service", "/lib/systemd/system/bmpmond-backup.timer"]);
        Assert.True(verify.Code == 0 && verify.Stderr.Length == 0, $"systemd-analyze verify: exit {verify.Code}\n{verify.Stdout}{verify.Stderr}");
    }

    /// <summary>The shipped settings file sets nothing: the default output (postgres) has no URL, exit 2 before binding.</summary>
    private void AssertUnconfiguredStopsNamingTheUrl()
    {
        var run = RunAsTheUnitDoes(["/usr/bin/bmpmond", "run"]);
        Assert.Equal(2, run.Code);
        Assert.Contains("BMPMOND_DATABASE_URL: must be set when BMPMOND_OUTPUT=postgres", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>NLRI per family and Peer Up events in the database equal the oracle's counts for the capture.</summary>
    private void AssertRowsMatchTheOracle(TestPostgres server, string oraclePath)
    {
        using var oracle = JsonDocument.Parse(File.ReadAllText(oraclePath));
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        long nlri = 0;
        foreach (var family in oracle.RootElement.GetProperty("route_monitoring").GetProperty("afi_safi").EnumerateObject())
        {
            long announced = family.Value.GetProperty("announced").GetInt64(), withdrawn = family.Value.GetProperty("withdrawn").GetInt64();
            expected[Families[family.Name]] = $"{announced}/{withdrawn}";
            nlri += announced + withdrawn;
        }

        long peerUps = oracle.RootElement.GetProperty("bmp_messages_by_type").GetProperty("3 Peer Up Notification").GetInt64();
        string Count(string sql) => server.Psql(sql, "bmpmond_e2e");

        // The replay returns when the bytes are sent: wait for the writer to commit them.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && long.Parse(Count("SELECT count(*) FROM bmpmon.route_updates"), CultureInfo.InvariantCulture) < nlri)
        {
            Thread.Sleep(200);
        }

        Thread.Sleep(500);
        var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in Count("SELECT afi || '/' || safi, count(*) FILTER (WHERE NOT is_withdrawn) || '/' || count(*) FILTER (WHERE is_withdrawn) FROM bmpmon.route_updates GROUP BY 1").Split('\n'))
        {
            string[] parts = line.Split('|');
            actual[parts[0]] = parts[1];
        }

        Assert.Equal(expected, actual);
        Assert.Equal(peerUps.ToString(CultureInfo.InvariantCulture), Count("SELECT count(*) FROM bmpmon.peer_events WHERE event = 'peer_up'"));
        Assert.Equal("0", Count("SELECT count(*) FROM bmpmon.peer_events WHERE event <> 'peer_up'"));
        output.WriteLine($"database: {string.Join(", ", actual.Select(p => $"{p.Key} {p.Value}"))}; {peerUps} peer_up events");
    }

    private void AssertPurgedButTheDumpKept()
    {
        foreach (string path in new[]
        {
            "/usr/bin/bmpmond", "/etc/bmpmond", "/usr/lib/bmpmond", "/usr/share/doc/bmpmond", "/usr/share/man/man8/bmpmond.8.gz",
            "/lib/systemd/system/bmpmond.service", "/lib/systemd/system/bmpmond-backup.service", "/lib/systemd/system/bmpmond-backup.timer",
            "/etc/systemd/system/multi-user.target.wants/bmpmond.service", "/usr/share/lintian/overrides/bmpmond",
        })
        {
            Assert.False(File.Exists(path) || Directory.Exists(path), $"{path} left after purge");
        }

        var left = Run("find", ["/etc", "/usr", "/lib", "/var/lib/systemd", "/var/lib/dpkg/info", "-name", "*bmpmond*"]);
        Assert.Equal("", left.Stdout);
        Assert.NotEqual(0, Run("getent", ["passwd", "bmpmond"]).Code);
        Assert.NotEqual(0, Run("getent", ["group", "bmpmond"]).Code);

        // The dump is the operator's: kept, with its folder. This test is its operator.
        string dump = Assert.Single(Directory.GetFiles("/var/backups/bmpmond"));
        Assert.Matches(@"/bmpmond-\d{8}-\d{6}\.dump$", dump);
        Directory.Delete("/var/backups/bmpmond", recursive: true);
    }

    /// <summary>
    /// The environment bmpmond.service gives: EnvironmentFile=/etc/bmpmond/bmpmond.env read as
    /// systemd reads it (KEY=value lines, # and ; comments, quotes removed), a minimal PATH,
    /// working directory /, the bmpmond user.
    /// </summary>
    private static List<string> UnitEnvironment()
    {
        var pairs = new List<string> { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };
        foreach (string raw in File.ReadAllLines(EnvFile))
        {
            string line = raw.Trim();
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] is '#' or ';' || eq <= 0)
            {
                continue;
            }

            string value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            pairs.Add($"{line[..eq].Trim()}={value}");
        }

        return pairs;
    }

    /// <summary>The one child process of <paramref name="pid"/> (runuser's: bmpmond).</summary>
    private static string ChildOf(int pid)
    {
        string id = pid.ToString(CultureInfo.InvariantCulture);
        string children = File.ReadAllText($"/proc/{id}/task/{id}/children").Trim();
        Assert.Matches(@"^\d+$", children);
        return children;
    }

    private static Process StartAsTheUnitDoes(string[] command)
    {
        var info = new ProcessStartInfo("runuser", ["-u", "bmpmond", "--", "env", "-i", .. UnitEnvironment(), .. command])
        {
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(info)!;
    }

    private (int Code, string Stdout, string Stderr) RunAsTheUnitDoes(string[] command)
    {
        using var process = StartAsTheUnitDoes(command);
        return Finish(process, string.Join(' ', command));
    }

    private (int Code, string Stdout, string Stderr) Run(string program, string[] args)
    {
        var info = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        return Finish(process, $"{program} {string.Join(' ', args)}");
    }

    private (int Code, string Stdout, string Stderr) Finish(Process process, string what)
    {
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output.WriteLine($"{what}: exit {process.ExitCode.ToString(CultureInfo.InvariantCulture)}\n{stdout}{stderr.Result}");
        return (process.ExitCode, stdout, stderr.Result);
    }

    private string Must(string program, params string[] args)
    {
        var result = Run(program, args);
        Assert.True(result.Code == 0, $"{program} {string.Join(' ', args)}: exit {result.Code}\n{result.Stderr}");
        return result.Stdout;
    }

    private static string ProjectVersion()
    {
        var match = Regex.Match(File.ReadAllText(Path.Combine(Root, "Directory.Build.props")), "<Version>([^<]+)</Version>");
        Assert.True(match.Success, "Directory.Build.props has no <Version>");
        return match.Groups[1].Value;
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

        throw new InvalidOperationException("bmpmond.sln not found");
    }
}
