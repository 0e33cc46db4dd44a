using Bmpmond.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Logging;

/// <summary>
/// Entry point of the daemon's logging: structured JSON lines (one object per line) on an output stream.
/// </summary>
/// <remarks>
/// Why a provider of our own rather than a ConsoleFormatter for Microsoft.Extensions.Logging.Console:
/// the console logger writes to <c>Console.Out</c> (a TextWriter: UTF-16 then re-encoded, and not a
/// stream a test can hand in), and its queue, when full, either blocks the caller or drops lines of
/// every level. Here lines are UTF-8 from the start, go to any stream, and only DEBUG lines are dropped
/// first, with the drops counted and reported.
/// </remarks>
internal static class JsonLogging
{
    /// <summary>
    /// A logger factory writing JSON lines at <paramref name="minimum"/> and above to <paramref name="output"/>
    /// (stdout in production). Disposing the factory flushes the output (it is not closed). When
    /// <paramref name="sentry"/> is given, ERROR entries, malformed messages and peer up/down go to Sentry.
    /// </summary>
    public static ILoggerFactory CreateFactory(LogLevel minimum, Stream output, SentryReporter? sentry = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var factory = new LoggerFactory(
            Array.Empty<ILoggerProvider>(),
            new LoggerFilterOptions { MinLevel = minimum });

        // Added (not passed to the constructor) so that disposing the factory disposes the provider.
        factory.AddProvider(new JsonLoggerProvider(minimum, output, sentry));
        return factory;
    }
}
