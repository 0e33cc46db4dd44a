namespace Bmpmond.Configuration;

/// <summary>Chooses the <c>.env</c> file: <c>--env-file PATH</c>, else <c>./.env</c>, else <c>/etc/bmpmond/bmpmond.env</c>.</summary>
internal static class EnvFileLocator
{
    /// <summary>Where packages install the daemon's environment file.</summary>
    public const string DefaultEtcPath = "/etc/bmpmond/bmpmond.env";

    /// <summary>The name looked for in the working directory.</summary>
    public const string LocalName = ".env";

    /// <summary>
    /// Finds the file to load, or null when there is none. A file given with
    /// <c>--env-file</c> must exist (a typo there must not fall back to defaults silently);
    /// the other two are optional.
    /// </summary>
    public static bool TryLocate(string? envFile, string workingDirectory, string etcPath, out string? path, out string problem)
    {
        problem = "";
        if (envFile is not null)
        {
            path = envFile;
            if (File.Exists(envFile))
            {
                return true;
            }

            problem = Directory.Exists(envFile) ? $"--env-file {envFile}: is a directory" : $"--env-file {envFile}: no such file";
            return false;
        }

        string local = Path.Combine(workingDirectory, LocalName);
        path = File.Exists(local) ? local : File.Exists(etcPath) ? etcPath : null;
        return true;
    }
}
