using Microsoft.Extensions.Logging;

namespace Bmpmond.Logging;

/// <summary>Shutdown events beyond the core set (ids 140-149).</summary>
internal static partial class Log
{
    /// <summary>The last line before the process exits with status 1 because shutdown outlasted its cap.</summary>
    [LoggerMessage(EventId = 140, EventName = "shutdown_cap_reached", Level = LogLevel.Error,
        Message = "Shutdown still running after {CapSeconds} s (stuck in: {Step}): exiting with code 1")]
    public static partial void ShutdownCapReached(ILogger logger, double capSeconds, string step);
}
