using Bmpmond.Logging;
using Bmpmond.Network;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Daemon;

/// <summary>
/// Every <c>BMPMOND_STATS_INTERVAL</c>, one INFO <c>route_stats</c> line per router; and a last one
/// (<c>final</c>: true) when a router's session ends, so a session shorter than the interval is not lost.
/// </summary>
internal sealed class RouteStatsReporter : IDisposable
{
    private readonly RouterRegistry _routers;
    private readonly OutputPipeline _pipeline;
    private readonly ILogger _logger;
    private readonly Timer _timer;

    public RouteStatsReporter(RouterRegistry routers, OutputPipeline pipeline, TimeSpan interval, ILogger logger)
    {
        _routers = routers;
        _pipeline = pipeline;
        _logger = logger;
        _timer = new Timer(_ => Report(), null, interval, interval);
    }

    public void Report()
    {
        foreach (var session in _routers.Sessions)
        {
            if (session.IsClosed)
            {
                // Its final line is written by the session itself.
                continue;
            }

            Write(session.Stats, _pipeline, _logger, final: false);
            session.ResetErrorBudget();
        }
    }

    /// <summary>
    /// Logs one <c>route_stats</c> line for <paramref name="stats"/>, and the count of malformed-message
    /// lines suppressed since the last one when there were any; returns what it logged.
    /// </summary>
    public static RouterStats.Snapshot Write(RouterStats stats, OutputPipeline pipeline, ILogger logger, bool final)
    {
        var s = stats.TakeSnapshot();
        Log.RouteStats(logger, stats.Router, s.Messages, s.Routes, s.Processed, s.Learned, s.Withdrawn, Math.Round(s.RoutesPerSecond, 1),
            s.QueueBytes, s.QueueBatches, pipeline.PendingBytes, pipeline.ReadAheadBytes, s.Families,
            s.SysName, s.SysDescr, s.ConnectedAt, s.LastMessageAt, s.Bytes, final);
        if (s.SuppressedErrors > 0)
        {
            Log.MalformedMessagesSuppressed(logger, stats.Router, s.SuppressedErrors);
        }

        return s;
    }

    public void Dispose() => _timer.Dispose();
}
