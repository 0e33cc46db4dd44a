using Xunit.Abstractions;

namespace Bmpmon.Tests;

/// <summary>
/// Locates the shared real-capture fixtures (never copied into the repository): the folder named by
/// BMPMON_FIXTURES, else <c>../shared/fixtures/bmp</c> next to the repository root (the folder that
/// holds bmpmond.sln). Tests that need them start with <see cref="RequireRoot"/>.
/// </summary>
public static class Fixtures
{
    public const string EnvironmentVariable = "BMPMON_FIXTURES";

    private static readonly (string? Root, string Searched) Location = Locate();

    /// <summary>The fixtures folder, or null when it cannot be found.</summary>
    public static string? Root => Location.Root;

    /// <summary>Whether the fixtures folder was found.</summary>
    public static bool Available => Root is not null;

    /// <summary>Where the fixtures were looked for, for messages.</summary>
    public static string SearchedLocation => Location.Searched;

    /// <summary>
    /// Returns the fixtures folder. When it is missing the test fails under CI=true (a CI run must not
    /// pass by testing nothing); elsewhere the reason goes to the test output and null comes back, and
    /// the test returns early (xunit 2 has no runtime skip).
    /// </summary>
    public static string? RequireRoot(ITestOutputHelper output)
    {
        if (Root is not null)
        {
            return Root;
        }

        string reason = $"BMP fixtures not found (looked in {SearchedLocation}; set {EnvironmentVariable})";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        output.WriteLine($"SKIPPED: {reason}");
        return null;
    }

    private static (string? Root, string Searched) Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return (Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null, fromEnvironment);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bmpmond.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "bmp"));
                return (Directory.Exists(candidate) ? candidate : null, candidate);
            }
        }

        return (null, $"../shared/fixtures/bmp of a folder holding bmpmond.sln above {AppContext.BaseDirectory}");
    }
}
