using Bmpmond.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Logging;

/// <summary>
/// The JSON-lines logger provider: one <see cref="LogLineWriter"/> (one background thread) shared by
/// every category. Disposing it writes out what is queued.
/// </summary>
internal sealed class JsonLoggerProvider : ILoggerProvider
{
    private readonly JsonLogger _logger;

    public JsonLoggerProvider(LogLevel minimum, Stream output, SentryReporter? sentry)
    {
        Writer = new LogLineWriter(output);
        _logger = new JsonLogger(Writer, minimum, sentry);
    }

    /// <summary>The queue and its drop counters.</summary>
    public LogLineWriter Writer { get; }

    // Categories are not part of the line (events are named), so every category shares one logger.
    public ILogger CreateLogger(string categoryName) => _logger;

    public void Dispose() => Writer.Dispose();
}
