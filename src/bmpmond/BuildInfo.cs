using System.Reflection;

namespace Bmpmond;

/// <summary>Version and commit, stamped at build time (InformationalVersion carries "+commit").</summary>
internal static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Version => Informational.Split('+')[0];

    public static string Commit => Informational.Contains('+', StringComparison.Ordinal) ? Informational.Split('+')[1] : "unknown";
}
