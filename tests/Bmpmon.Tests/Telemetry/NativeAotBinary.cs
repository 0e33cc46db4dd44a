using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Telemetry;

/// <summary>
/// The Native AOT bmpmond that scripts/package.sh ships (<c>artifacts/publish/linux-x64/bmpmond</c>),
/// for tests that must see the published binary behave. Publishing takes minutes on the 2-core
/// machine, so these tests run only with CI=true (as the packaging tests) or BMPMON_AOT_TESTS=1;
/// they reuse the binary when it is newer than every source it is built from (in CI the package
/// test, which runs before the Sentry collection, has just published it) and otherwise publish it
/// with package.sh's own command.
/// </summary>
internal static class NativeAotBinary
{
    public const string Publish = "dotnet publish src/bmpmond/bmpmond.csproj -c Release -r linux-x64 -p:PublishAot=true";

    public static bool Wanted =>
        Environment.GetEnvironmentVariable("CI") == "true" || Environment.GetEnvironmentVariable("BMPMON_AOT_TESTS") == "1";

    /// <summary>The binary's path, published first when missing or older than a source file.</summary>
    public static string Get(ITestOutputHelper output)
    {
        var root = RepositoryRoot();
        var folder = Path.Combine(root, "artifacts", "publish", "linux-x64");
        var binary = Path.Combine(folder, "bmpmond");
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= NewestSource(root))
        {
            output.WriteLine($"reusing {binary}");
            return binary;
        }

        var started = Stopwatch.StartNew();
        var start = new ProcessStartInfo("bash", ["-c", $"{Publish} -o '{folder}' -nologo -clp:NoSummary"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{Publish}: exit {process.ExitCode}\n{stdout.Result}\n{stderr}");
        Assert.True(File.Exists(binary), $"{Publish} wrote no {binary}");

        // As in package.sh: an AOT or trim warning is an error.
        var warnings = (stdout.Result + "\n" + stderr).Split('\n').Where(l => Regex.IsMatch(l, @": warning [A-Z]+[0-9]+|warning (IL|CS|CA|NU)[0-9]+", RegexOptions.IgnoreCase)).ToList();
        Assert.True(warnings.Count == 0, $"{Publish} printed warnings:\n{string.Join('\n', warnings)}");
        output.WriteLine($"published {binary} in {started.Elapsed.TotalSeconds:F0} s");
        return binary;
    }

    /// <summary>The last change to what the binary is built from: src/ (but its bin/ and obj/) and the build settings.</summary>
    private static DateTime NewestSource(string root)
    {
        var sources = Directory.EnumerateFiles(Path.Combine(root, "src"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Concat(Directory.EnumerateFiles(root, "Directory.*.props"))
            .Append(Path.Combine(root, "global.json"))
            .Where(File.Exists);
        return sources.Max(File.GetLastWriteTimeUtc);
    }

    private static string RepositoryRoot()
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
