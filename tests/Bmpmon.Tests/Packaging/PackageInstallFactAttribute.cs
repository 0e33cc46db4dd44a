namespace Bmpmon.Tests.Packaging;

/// <summary>
/// The .deb install test: it installs system-wide, so it runs only as root on Debian with CI=true or
/// BMPMON_PACKAGING_TESTS=1, and reads the fixtures. Anywhere else it is reported as skipped, with
/// why, rather than passing without having run.
/// </summary>
public sealed class PackageInstallFactAttribute : FactAttribute
{
    public PackageInstallFactAttribute()
    {
        var wanted = Environment.GetEnvironmentVariable("CI") == "true" || Environment.GetEnvironmentVariable("BMPMON_PACKAGING_TESTS") == "1";
        Skip = !wanted || Environment.UserName != "root" || !File.Exists("/etc/debian_version")
            ? "needs root on Debian with CI=true or BMPMON_PACKAGING_TESTS=1"
            : Fixtures.SkipReason;
    }
}
