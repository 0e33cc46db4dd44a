using System.Net;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Configuration;

/// <summary>
/// Builds <see cref="BmpmondOptions"/> from the <c>BMPMOND_*</c> environment variables and an
/// optional <c>.env</c> file (real variables win over the file), validating every value.
/// </summary>
/// <remarks>
/// Why explicit reads and not the configuration binder (even its source-generated form): every
/// setting needs a parser of its own (endpoints, CIDR lists, <c>30s</c> intervals, DSN shape)
/// and an error that names the environment variable and never the value of a secret; the
/// binder only converts primitives, names configuration paths rather than variables, reports
/// failures as exceptions that quote the offending value, and needs a key-name mapping for
/// every name with an inner underscore (<c>SENTRY_DSN</c>). Unknown names must be found by
/// enumerating the keys anyway. So the keys are read one by one from a table: no reflection,
/// nothing for the trimmer to miss.
/// </remarks>
internal static class OptionsLoader
{
    private delegate bool Parser<T>(string text, out T value, out string problem);

    /// <summary>
    /// Loads the settings. <paramref name="env"/> is the process environment (any other variables
    /// in it are ignored; <see cref="ProcessEnvironment.Read"/> gives the real one);
    /// <paramref name="envFile"/> is the <c>--env-file</c> argument or null; without it
    /// <c>.env</c> in <paramref name="workingDirectory"/>, else <paramref name="etcPath"/>
    /// (<see cref="EnvFileLocator.DefaultEtcPath"/>), is loaded when present. On failure
    /// <paramref name="error"/> is one line naming the variable (or file and line) and the problem.
    /// </summary>
    public static bool TryLoad(
        IReadOnlyDictionary<string, string> env,
        string? envFile,
        string workingDirectory,
        string etcPath,
        out BmpmondOptions options,
        out string error,
        out string? loadedFile)
    {
        ArgumentNullException.ThrowIfNull(env);
        options = new BmpmondOptions();
        if (!TryCollect(env, envFile, workingDirectory, etcPath, out var values, out error, out loadedFile)
            || !TryCheckNames(values, out error))
        {
            return false;
        }

        var defaults = options;
        if (!TryRead(values, SettingsTable.Listen, AddressParsers.TryParseEndpoint, defaults.Listen, out var listen, out error)
            || !TryRead(values, SettingsTable.AllowedRouters, AddressParsers.TryParseNetworks, defaults.AllowedRouters, out var allowed, out error, emptyIsDefault: true)
            || !TryRead(values, SettingsTable.MaxSessions, (string t, out int v, out string p) => ValueParsers.TryParseInt(t, 1, 1_000_000, out v, out p), defaults.MaxSessions, out int maxSessions, out error)
            || !TryRead(values, SettingsTable.MaxMessageBytes, (string t, out int v, out string p) => ValueParsers.TryParseInt(t, SettingsTable.MinMaxMessageBytes, SettingsTable.MaxMaxMessageBytes, out v, out p), defaults.MaxMessageBytes, out int maxMessageBytes, out error)
            || !TryRead(values, SettingsTable.MaxPendingMegabytes, (string t, out int v, out string p) => ValueParsers.TryParseInt(t, 1, 65_536, out v, out p), BmpmondOptions.DefaultMaxPendingMegabytes, out int maxPendingMegabytes, out error)
            || !TryRead(values, SettingsTable.Output, OutputSpec.TryParse, defaults.Output, out var output, out error)
            || !TryRead(values, SettingsTable.LogLevel, ValueParsers.TryParseLogLevel, defaults.LogLevel, out LogLevel logLevel, out error)
            || !TryRead(values, SettingsTable.StatsInterval, ValueParsers.TryParseInterval, defaults.StatsInterval, out var statsInterval, out error)
            || !TryRead(values, SettingsTable.SentryDsn, (string t, out string? v, out string p) => SentryDsnParser.TryParse(t, out v, out p), defaults.SentryDsn, out string? sentryDsn, out error, emptyIsDefault: true)
            || !TryRead(values, SettingsTable.SentryEnvironment, ValueParsers.TryParseSentryEnvironment, defaults.SentryEnvironment, out string sentryEnvironment, out error)
            || !TryRead(values, SettingsTable.SentryTracesSampleRate, ValueParsers.TryParseRate, defaults.SentryTracesSampleRate, out double sampleRate, out error)
            || !TryRead(values, SettingsTable.ShutdownDrainSeconds, (string t, out int v, out string p) => ValueParsers.TryParseInt(t, 1, SettingsTable.MaxShutdownDrainSeconds, out v, out p), BmpmondOptions.DefaultShutdownDrainSeconds, out int drainSeconds, out error)
            || !TryRead(values, SettingsTable.DatabaseUrl, (string t, out string? v, out string p) => { v = t; return Storage.DatabaseUrl.TryParse(t, out _, out p); }, defaults.DatabaseUrl, out string? databaseUrl, out error)
            || !TryRead(values, SettingsTable.DbSchema, ValueParsers.TryParseSchemaName, defaults.DbSchema, out string dbSchema, out error)
            || !TryRead(values, SettingsTable.DatabaseBatchRows, (string t, out int v, out string p) => ValueParsers.TryParseInt(t, 100, 1_000_000, out v, out p), BmpmondOptions.DefaultDatabaseBatchRows, out int batchRows, out error)
            || !TryRead(values, SettingsTable.DatabaseBatchWaitMs, (string t, out int v, out string p) => ValueParsers.TryParseInt(t, 1, 60_000, out v, out p), BmpmondOptions.DefaultDatabaseBatchWaitMs, out int batchWaitMs, out error)
            || !TryRead(values, SettingsTable.DbOutageExit, ValueParsers.TryParseInterval, defaults.DatabaseOutageExit, out var outageExit, out error)
            || !TryRead(values, SettingsTable.ResyncTimeout, ValueParsers.TryParseInterval, defaults.ResyncTimeout, out var resyncTimeout, out error))
        {
            return false;
        }

        if (output.Kind == OutputKind.Postgres && databaseUrl is null)
        {
            // The default output is postgres: a settings file with nothing set stops here, before the
            // port is bound, naming the one setting missing and the way to run without a database.
            error = $"{SettingsTable.DatabaseUrl}: must be set when {SettingsTable.Output}=postgres (the default; {SettingsTable.Output}=null or jsonl:PATH runs without a database)";
            return false;
        }

        options = new BmpmondOptions
        {
            Listen = listen,
            AllowedRouters = allowed,
            MaxSessions = maxSessions,
            MaxMessageBytes = maxMessageBytes,
            MaxPendingBytes = maxPendingMegabytes * 1024L * 1024L,
            Output = output,
            LogLevel = logLevel,
            StatsInterval = statsInterval,
            SentryDsn = sentryDsn,
            SentryEnvironment = sentryEnvironment,
            SentryTracesSampleRate = sampleRate,
            ShutdownDrainTimeout = TimeSpan.FromSeconds(drainSeconds),
            DatabaseUrl = databaseUrl,
            DbSchema = dbSchema,
            DatabaseBatchRows = batchRows,
            DatabaseBatchWait = TimeSpan.FromMilliseconds(batchWaitMs),
            DatabaseOutageExit = outageExit,
            ResyncTimeout = resyncTimeout,
        };
        return true;
    }

    /// <summary>The <c>BMPMOND_*</c> values by name: the file's first, then the environment's over them.</summary>
    private static bool TryCollect(
        IReadOnlyDictionary<string, string> env,
        string? envFile,
        string workingDirectory,
        string etcPath,
        out Dictionary<string, SettingValue> values,
        out string error,
        out string? loadedFile)
    {
        values = new Dictionary<string, SettingValue>(StringComparer.OrdinalIgnoreCase);
        if (!EnvFileLocator.TryLocate(envFile, workingDirectory, etcPath, out loadedFile, out error))
        {
            loadedFile = null;
            return false;
        }

        if (loadedFile is not null)
        {
            if (!EnvFile.TryRead(loadedFile, out var entries, out error))
            {
                return false;
            }

            // Other variables in the file are ignored: the file is not exported into the environment.
            foreach (var entry in entries)
            {
                if (entry.Key.StartsWith(SettingsTable.Prefix, StringComparison.OrdinalIgnoreCase))
                {
                    values[entry.Key] = new SettingValue(entry.Key, entry.Value, $"{loadedFile}:{entry.Line}");
                }
            }
        }

        foreach (var (name, value) in env)
        {
            if (name.StartsWith(SettingsTable.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                values[name] = new SettingValue(name, value, null);
            }
        }

        return true;
    }

    /// <summary>An unknown <c>BMPMOND_*</c> name is an error: a typo must not silently leave a default in place.</summary>
    private static bool TryCheckNames(Dictionary<string, SettingValue> values, out string error)
    {
        error = "";
        var names = new List<string>();
        foreach (var value in values.Values)
        {
            if (SettingsTable.Find(value.Name) is null && !SettingsTable.IsReserved(value.Name))
            {
                names.Add(value.Name);
            }
        }

        if (names.Count == 0)
        {
            return true;
        }

        names.Sort(StringComparer.Ordinal);
        var unknown = values[names[0]];
        string? closest = SettingNames.Closest(unknown.Name);
        string hint = closest is null ? "see the Configuration table in the README" : $"did you mean {closest}?";
        error = $"{unknown.Name}: not a bmpmond setting ({hint}){unknown.Where}";
        return false;
    }

    private static bool TryRead<T>(
        Dictionary<string, SettingValue> values,
        string name,
        Parser<T> parse,
        T fallback,
        out T value,
        out string error,
        bool emptyIsDefault = false)
    {
        value = fallback;
        error = "";
        if (!values.TryGetValue(name, out var setting))
        {
            return true;
        }

        string text = setting.Value.Trim();
        if (text.Length == 0)
        {
            if (emptyIsDefault)
            {
                return true;
            }

            string? defaultValue = SettingsTable.Find(name)?.Default;
            string hint = defaultValue is null ? "unset it or give a value" : $"unset it for the default, {defaultValue}";
            error = $"{name}: is empty ({hint}){setting.Where}";
            return false;
        }

        if (parse(text, out value, out string problem))
        {
            return true;
        }

        value = fallback;
        error = $"{name}: {problem}{setting.Where}";
        return false;
    }

    /// <summary>A value and where it came from (a file and line, or null for the environment).</summary>
    private readonly record struct SettingValue(string Name, string Value, string? Location)
    {
        /// <summary>The suffix of an error line that points into the file, or nothing.</summary>
        public string Where => Location is null ? "" : $" (set in {Location})";
    }
}
