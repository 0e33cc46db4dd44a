using Bmpmond.Configuration;
using Bmpmond.Storage;

namespace Bmpmond.Commands;

/// <summary>The <c>[--env-file PATH]</c> handling and the database settings shared by the verbs.</summary>
internal static class CommandSettings
{
    /// <summary>
    /// Reads arguments that may only be <c>--env-file PATH</c>; false after writing the problem and
    /// <paramref name="usage"/> to <paramref name="stderr"/> (the caller exits 2).
    /// </summary>
    public static bool TryReadEnvFileOnly(ReadOnlySpan<string> args, string usage, TextWriter stderr, out string? envFile)
    {
        envFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--env-file" && i + 1 < args.Length)
            {
                envFile = args[++i];
                continue;
            }

            stderr.WriteLine($"bmpmond: unexpected argument '{args[i]}'");
            stderr.WriteLine(usage);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Loads the settings (environment, then <paramref name="envFile"/> or the usual .env files) and
    /// returns the Npgsql connection string, or null after writing the problem to <paramref name="stderr"/>.
    /// </summary>
    public static string? ConnectionString(string verb, string? envFile, TextWriter stderr) =>
        Database(verb, envFile, stderr)?.ConnectionString;

    /// <summary>
    /// Loads the settings (environment, then <paramref name="envFile"/> or the usual .env files) and
    /// returns the database to use (connection string and <c>BMPMOND_DB_SCHEMA</c>), or null after
    /// writing the problem, naming the variable, to <paramref name="stderr"/> (the caller exits 2).
    /// </summary>
    public static DatabaseTarget? Database(string verb, string? envFile, TextWriter stderr)
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
        return new DatabaseTarget(connectionString, options.DbSchema);
    }
}
