namespace Bmpmon.Tests;

/// <summary>
/// Locates the shared real-capture fixtures (never copied into the repository): the folder named by
/// BMPMON_FIXTURES, else <c>../shared/fixtures/bmp</c> next to the repository root (the folder that
/// holds bmpmond.sln). Tests that need them are marked <see cref="FixtureFactAttribute"/> or
/// <see cref="FixtureTheoryAttribute"/> and start with <see cref="RequireRoot"/>.
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

    /// <summary>Whether this is a CI run (CI=true), where a missing fixture folder is a failure, not a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why a fixture test cannot run: where the fixtures were looked for.</summary>
    public static string MissingReason => $"BMP fixtures not found (looked in {SearchedLocation}; set {EnvironmentVariable})";

    /// <summary>
    /// The skip reason of <see cref="FixtureFactAttribute"/> and <see cref="FixtureTheoryAttribute"/>:
    /// null when the fixtures are there, and under CI=true (the test then runs and fails in
    /// <see cref="RequireRoot"/>).
    /// </summary>
    public static string? SkipReason => Available || IsCi ? null : MissingReason;

    /// <summary>
    /// Returns the fixtures folder, and fails the test when it is missing. Tests that call it are
    /// marked <see cref="FixtureFactAttribute"/> or <see cref="FixtureTheoryAttribute"/>, so outside
    /// CI they are skipped before getting here; under CI=true they fail here (a CI run must not pass
    /// by testing nothing).
    /// </summary>
    public static string RequireRoot()
    {
        if (Root is null)
        {
            Assert.Fail(MissingReason);
        }

        return Root;
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
