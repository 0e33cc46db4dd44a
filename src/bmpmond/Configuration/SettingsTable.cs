namespace Bmpmond.Configuration;

/// <summary>
/// Every <c>BMPMOND_*</c> setting, its default and its meaning: the one list the loader checks
/// names against, the README's configuration table is tested against, and help text can print.
/// </summary>
internal static class SettingsTable
{
    /// <summary>The prefix of every setting's environment variable.</summary>
    public const string Prefix = "BMPMOND_";

    public const string Listen = Prefix + "LISTEN";
    public const string AllowedRouters = Prefix + "ALLOWED_ROUTERS";
    public const string MaxSessions = Prefix + "MAX_SESSIONS";
    public const string MaxMessageBytes = Prefix + "MAX_MESSAGE_BYTES";
    public const string MaxPendingMegabytes = Prefix + "MAX_PENDING_MB";
    public const string Output = Prefix + "OUTPUT";
    public const string LogLevel = Prefix + "LOG_LEVEL";
    public const string StatsInterval = Prefix + "STATS_INTERVAL";
    public const string SentryDsn = Prefix + "SENTRY_DSN";
    public const string SentryEnvironment = Prefix + "SENTRY_ENVIRONMENT";
    public const string SentryTracesSampleRate = Prefix + "SENTRY_TRACES_SAMPLE_RATE";
    public const string ShutdownDrainSeconds = Prefix + "SHUTDOWN_DRAIN_SECONDS";
    public const string DatabaseUrl = Prefix + "DATABASE_URL";
    public const string DbSchema = Prefix + "DB_SCHEMA";
    public const string DatabaseBatchRows = Prefix + "DATABASE_BATCH_ROWS";
    public const string DatabaseBatchWaitMs = Prefix + "DATABASE_BATCH_WAIT_MS";
    public const string DbOutageExit = Prefix + "DB_OUTAGE_EXIT";
    public const string ResyncTimeout = Prefix + "RESYNC_TIMEOUT";

    /// <summary>
    /// The smallest <c>BMPMOND_MAX_MESSAGE_BYTES</c>: the largest BMP message routers really send
    /// must fit. That is a Route Monitoring or Route Mirroring message around a maximum-size BGP
    /// message (65,535 bytes with RFC 8654 extended messages): 6 bytes of common header, 42 of
    /// per-peer header and 4 of TLV header (Route Mirroring) on top. A lower limit would cut
    /// sessions off on valid input.
    /// </summary>
    public const int MinMaxMessageBytes = 6 + 42 + 4 + 65_535;

    /// <summary>The largest <c>BMPMOND_MAX_MESSAGE_BYTES</c>: 256 MiB, far above any real message, still a bound.</summary>
    public const int MaxMaxMessageBytes = 256 * 1024 * 1024;

    /// <summary>
    /// The longest drain: shutdown is capped at 60 s in all, and closing the router sessions takes
    /// up to 5 s after the drain.
    /// </summary>
    public const int MaxShutdownDrainSeconds = 55;

    /// <summary>
    /// Names set aside for later work (storage): accepted and ignored, so an environment prepared
    /// for a newer bmpmond does not stop this one. Any other unknown <c>BMPMOND_*</c> name is an error.
    /// </summary>
    public static IReadOnlyList<string> Reserved { get; } =
    [
        Prefix + "DATABASE_POOL_SIZE",
    ];

    /// <summary>Every setting, in README order.</summary>
    public static IReadOnlyList<Setting> All { get; } =
    [
        new(Listen, "0.0.0.0:11019", "Address and port routers connect to: `a.b.c.d:port` or `[v6]:port`; `[::]:11019` listens on IPv6 and IPv4 (dual stack)."),
        new(AllowedRouters, "", "Addresses and CIDRs (IPv4 or IPv6) routers may connect from, separated by commas or spaces; empty admits any. IPv4 peers on a dual-stack socket match IPv4 entries."),
        new(MaxSessions, "1000", "Most router sessions at once, 1 to 1,000,000."),
        new(MaxMessageBytes, "16777216", "Largest BMP message accepted, in bytes, 65,587 (a maximum-size BGP message with its BMP headers) to 268,435,456 (256 MiB); a longer message closes the session."),
        new(MaxPendingMegabytes, "256", "Most memory for decoded data waiting for the output, in MiB, 1 to 65,536: a ceiling, not a target. bmpmond reads ahead of the output only about 1 s of what the output writes (at least 8 MiB, at most this ceiling less the output's own share), since more read-ahead adds memory and latency but no speed; past that it stops reading from routers until the output catches up (TCP holds their data; nothing is lost)."),
        new(Output, "postgres", "Where routes and events go: `postgres` (the database at `BMPMOND_DATABASE_URL`, which must then be set), `jsonl:PATH` (one JSON object per line; `jsonl:-` is stdout) or `null` (decode and count only)."),
        new(LogLevel, "INFO", "`INFO` or `DEBUG` (one more line per BMP message with its first 256 bytes in hex); `WARNING` and `ERROR` are accepted too. Any case."),
        new(StatsInterval, "10", "Seconds between `route_stats` lines, a whole number above 0, up to a day; `30s` and `1m` are accepted."),
        new(SentryDsn, null, "Sentry DSN (`https://PUBLIC_KEY@HOST/PROJECT_ID`); Sentry is off when unset or empty. A malformed DSN stops bmpmond at start. Never logged."),
        new(SentryEnvironment, "production", "Environment name on Sentry events."),
        new(SentryTracesSampleRate, "0", "Share of traces sent to Sentry, 0 to 1."),
        new(ShutdownDrainSeconds, "30", "Seconds shutdown waits for queued data to reach the output, 1 to 55 (with 5 s to close sessions, shutdown takes at most 60 s)."),
        new(DatabaseUrl, null, "PostgreSQL to store into: a `postgres://` URL (user, password, host, port, database) or an Npgsql connection string; required when `BMPMOND_OUTPUT=postgres`. Never logged."),
        new(DbSchema, "bmpmon", "PostgreSQL schema bmpmond creates and uses (run, migrate, status, import): a lower-case identifier of letters a-z, digits and `_`, starting with a letter or `_`, at most 63 characters."),
        new(DatabaseBatchRows, "10000", "Routes per PostgreSQL transaction, 100 to 1,000,000: a transaction starts once this many are waiting (sooner when the database is idle or the oldest has waited `BMPMOND_DATABASE_BATCH_WAIT_MS`)."),
        new(DatabaseBatchWaitMs, "500", "Longest time, in milliseconds, a route waits before its transaction starts, 1 to 60,000."),
        new(DbOutageExit, "300", "Seconds the database may stay unreachable before bmpmond closes the router sessions and exits with status 1 (the routers resend full tables when they reconnect), 1 to 86,400; `90s` and `5m` are accepted. Shorter outages lose nothing."),
        new(ResyncTimeout, "900", "Seconds after a peer's Peer Up (a router reconnecting re-sends its whole table) after which its routes not re-announced are taken as withdrawn when no End-of-RIB came for their family; End-of-RIB sweeps them at once. A whole number above 0, up to a day; `30s` and `15m` are accepted."),
    ];

    /// <summary>The setting named <paramref name="name"/> (any case), or null.</summary>
    public static Setting? Find(string name)
    {
        foreach (var setting in All)
        {
            if (setting.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return setting;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="name"/> (any case) is reserved for later work.</summary>
    public static bool IsReserved(string name)
    {
        foreach (string reserved in Reserved)
        {
            if (reserved.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
