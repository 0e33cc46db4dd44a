using Microsoft.Extensions.Logging;

namespace Bmpmond.Logging;

#pragma warning disable SYSLIB1015

/// <summary>The PostgreSQL output's log events (ids 100-119).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, EventName = "schema_migrated", Level = LogLevel.Information,
        Message = "Schema {Schema}: applied migration {Version} ({Description})")]
    public static partial void SchemaMigrated(ILogger logger, string schema, int version, string description);

    [LoggerMessage(EventId = 101, EventName = "timescale_available", Level = LogLevel.Information,
        Message = "The timescaledb extension is available; route_updates is stored as {Layout} (schema_migrations version 5 says why)")]
    public static partial void TimescaleAvailable(ILogger logger, string layout);

    [LoggerMessage(EventId = 102, EventName = "database_write_failed", Level = LogLevel.Error,
        Message = "Writing to PostgreSQL failed (attempt {Attempt}); retrying the same {Routes} routes in {RetrySeconds} s")]
    public static partial void DatabaseWriteFailed(ILogger logger, Exception exception, long routes, int attempt, double retrySeconds);

    [LoggerMessage(EventId = 103, EventName = "database_recovered", Level = LogLevel.Information,
        Message = "PostgreSQL writes resumed after {Failures} failures and {Seconds} s")]
    public static partial void DatabaseRecovered(ILogger logger, int failures, double seconds);

    [LoggerMessage(EventId = 107, EventName = "database_writer_time", Level = LogLevel.Information,
        Message = "PostgreSQL writer: {Commits} commits, {Routes} routes; busy {StateSeconds} s on the state ({StateWaitedSeconds} s of it waiting for the history), {HistorySeconds} s on the history ({HistoryWaitedSeconds} s waiting for the attribute sets), {AttributesSeconds} s on the attribute sets")]
    public static partial void DatabaseWriterTime(ILogger logger, long commits, long routes, double stateSeconds, double stateWaitedSeconds, double historySeconds, double historyWaitedSeconds, double attributesSeconds);

    [LoggerMessage(EventId = 104, EventName = "database_rows_lost", Level = LogLevel.Error,
        Message = "Shutting down with PostgreSQL unreachable: {Routes} routes not written")]
    public static partial void DatabaseRowsLost(ILogger logger, long routes);

    [LoggerMessage(EventId = 105, EventName = "partitions_ensured", Level = LogLevel.Information,
        Message = "route_updates partitions ensured for today and the next 2 days ({Created} created)")]
    public static partial void PartitionsEnsured(ILogger logger, int created, double durationMs);

    [LoggerMessage(EventId = 106, EventName = "database_outage_exit", Level = LogLevel.Error,
        Message = "PostgreSQL unreachable for {Seconds} s (BMPMOND_DB_OUTAGE_EXIT={LimitSeconds} s): {Routes} pending routes dropped; closing the router sessions and exiting (the routers resend their tables on reconnect)")]
    public static partial void DatabaseOutageExit(ILogger logger, double seconds, double limitSeconds, long routes);
}
