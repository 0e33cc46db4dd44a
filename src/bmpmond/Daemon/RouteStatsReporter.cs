using Bmpmond.Logging;
using Bmpmond.Network;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Daemon;

/// <summary>Every <c>BMPMOND_STATS_INTERVAL</c>, one INFO <c>route_stats</c> line per router.</summary>
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
            var s = session.Stats.TakeSnapshot();
            session.ResetErrorBudget();
            Log.RouteStats(_logger, session.Router, s.Messages, s.Routes, s.Learned, s.Withdrawn, Math.Round(s.RoutesPerSecond, 1), _pipeline.PendingBytes, _pipeline.ReadAheadBytes, s.Families);
            if (s.SuppressedErrors > 0)
            {
                Log.MalformedMessagesSuppressed(_logger, session.Router, s.SuppressedErrors);
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
