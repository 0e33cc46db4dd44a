using Microsoft.Extensions.Logging;

namespace Bmpmond.Logging;

/// <summary>Router session events beyond the core set (ids 130-139).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 130, EventName = "malformed_messages_suppressed", Level = LogLevel.Warning,
        Message = "{Count} more malformed messages from {Router} were counted but not logged in the last interval")]
    public static partial void MalformedMessagesSuppressed(ILogger logger, string router, long count);
}
