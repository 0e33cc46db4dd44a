using Bmpmond.Configuration;
using Bmpmond.Storage;

namespace Bmpmond.Commands;

/// <summary>The <c>[--env-file PATH]</c> handling and the database settings shared by <c>status</c> and <c>import</c>.</summary>
internal static class CommandSettings
{
    /// <summary>
    /// Loads the settings (environment, then <paramref name="envFile"/> or the usual .env files) and
    /// returns the Npgsql connection string, or null after writing the problem to <paramref name="stderr"/>.
    /// </summary>
    public static string? ConnectionString(string verb, string? envFile, TextWriter stderr)
    {
        if (!OptionsLoader.TryLoad(ProcessEnvironment.Read(), envFile, Directory.GetCurrentDirectory(), EnvFileLocator.DefaultEtcPath, out var options, out var error, out _))
        {
            stderr.WriteLine($"bmpmond: {error}");
            return null;
        }

        if (options.DatabaseUrl is null || !DatabaseUrl.TryParse(options.DatabaseUrl, out var connectionString, out var problem))
        {
            stderr.WriteLine($"bmpmond: {SettingsTable.DatabaseUrl}: must be set for {verb}");
            return null;
        }

        _ = problem;
        return connectionString;
    }
}
