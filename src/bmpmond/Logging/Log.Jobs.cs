using Microsoft.Extensions.Logging;

namespace Bmpmond.Logging;

#pragma warning disable SYSLIB1015

/// <summary>The periodic jobs' log events (ids 120-129).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 120, EventName = "job_done", Level = LogLevel.Debug,
        Message = "Job {Job} done in {DurationMs} ms: {Result}")]
    public static partial void JobDone(ILogger logger, string job, double durationMs, string result);

    [LoggerMessage(EventId = 121, EventName = "job_failed", Level = LogLevel.Error,
        Message = "Job {Job} failed after {DurationMs} ms; next run in {IntervalSeconds} s")]
    public static partial void JobFailed(ILogger logger, Exception exception, string job, double durationMs, double intervalSeconds);

    [LoggerMessage(EventId = 122, EventName = "db_stats", Level = LogLevel.Information,
        Message = "Database: {Routers} routers ({ActiveRouters} active), {Peers} peers ({PeersUp} up), {LiveRoutes} live routes, {WithdrawnRoutes} withdrawn, ingest lag {IngestLagSeconds} s")]
    public static partial void DatabaseStats(ILogger logger, long routers, long activeRouters, long peers, long peersUp, long liveRoutes, long withdrawnRoutes, double? ingestLagSeconds);
}
