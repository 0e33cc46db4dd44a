using Bmpmond.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Logging;

/// <summary>
/// Formats each entry on the calling thread (a snapshot of the values, no shared state but the queue)
/// and hands the line to the <see cref="LogLineWriter"/>; ERROR entries and peer events also go to
/// Sentry when it is configured.
/// </summary>
internal sealed class JsonLogger : ILogger
{
    private readonly LogLineWriter _writer;
    private readonly SentryReporter? _sentry;
    private readonly LogLevel _minimum;

    public JsonLogger(LogLineWriter writer, LogLevel minimum, SentryReporter? sentry)
    {
        _writer = writer;
        _minimum = minimum;
        _sentry = sentry;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var timestamp = DateTime.UtcNow;
        var eventName = eventId.Name ?? "log";
        var message = formatter(state, exception);
        var fields = state as IReadOnlyList<KeyValuePair<string, object?>>;
        var line = LogLineFormatter.Format(timestamp, logLevel, eventName, message, fields, exception, out var length);
        _writer.TryEnqueue(line, length, droppable: logLevel <= LogLevel.Debug);
        _sentry?.OnLogEntry(logLevel, eventName, message, fields, exception);
    }
}
