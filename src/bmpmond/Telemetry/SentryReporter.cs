using System.Globalization;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;
using Sentry;

namespace Bmpmond.Telemetry;

/// <summary>
/// Optional Sentry events: ERROR log entries, malformed messages (with router and message context) and
/// BGP peer up/down. Off unless a DSN is configured. The Sentry SDK is process-wide (static), so only
/// one reporter is alive at a time; disposing it closes the SDK after flushing.
/// </summary>
/// <remarks>
/// Capture runs on the calling thread but only builds the event: the SDK's own background worker sends
/// it, with a bounded queue (events beyond it are dropped by the SDK, never waited for).
/// </remarks>
internal sealed class SentryReporter : IDisposable
{
    private readonly IDisposable _sdk;
    private int _disposed;

    private SentryReporter(IDisposable sdk) => _sdk = sdk;

    /// <summary>
    /// Starts the Sentry SDK, or returns null (and touches nothing) when <paramref name="dsn"/> is null or
    /// blank. The DSN's syntax is validated by the configuration; it is never logged.
    /// </summary>
    public static SentryReporter? Create(string? dsn, string environment, double tracesSampleRate)
    {
        if (string.IsNullOrWhiteSpace(dsn))
        {
            return null;
        }

        var sdk = SentrySdk.Init(options => SentrySetup.Configure(options, dsn, environment, tracesSampleRate));
        return new SentryReporter(sdk);
    }

    /// <summary>An ERROR (or CRITICAL) log entry: tags event and router, the fields as extras.</summary>
    public void CaptureError(string eventName, string message, IReadOnlyList<KeyValuePair<string, object?>> fields, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var evt = exception is null ? new SentryEvent() : new SentryEvent(exception);
        evt.Message = message;
        evt.Level = SentryLevel.Error;
        evt.Logger = "bmpmond";
        evt.SetTag("event", eventName);
        for (var i = 0; i < fields.Count; i++)
        {
            var (key, value) = fields[i];
            var name = SnakeCase.PropertyName(key).Value;
            if (name == "router" && value is string router)
            {
                evt.SetTag("router", router);
            }

            if (key != "{OriginalFormat}")
            {
                evt.SetExtra(name, SentryValues.Extra(value));
            }
        }

        SentrySdk.CaptureEvent(evt);
    }

    /// <summary>A malformed BMP message: tags router and message type; reason, offsets and the hex as extras.</summary>
    public void CaptureMalformedMessage(string router, string messageType, string reason, int offset, long streamOffset, string firstBytesHex, string? where = null)
    {
        var evt = new SentryEvent
        {
            Message = string.Create(CultureInfo.InvariantCulture, $"Malformed {messageType} message from {router}: {reason}"),
            Level = SentryLevel.Error,
            Logger = "bmpmond",
        };
        evt.SetTag("event", "malformed_message");
        evt.SetTag("router", router);
        evt.SetTag("message_type", messageType);
        evt.SetExtra("reason", reason);
        if (where is not null)
        {
            evt.SetExtra("where", where);
        }

        evt.SetExtra("offset", offset);
        evt.SetExtra("stream_offset", streamOffset);
        evt.SetExtra("first_bytes_hex", firstBytesHex);

        // One issue per router and message type, not one per distinct reason text.
        evt.SetFingerprint("malformed_message", router, messageType);
        SentrySdk.CaptureEvent(evt);
    }

    /// <summary>
    /// A BGP peer going up or down (<paramref name="kind"/> is peer_up or peer_down): tags router,
    /// peer address and AS; every other field of the log line (<paramref name="fields"/>: reason,
    /// NOTIFICATION code and subcode, FSM event, capabilities, up since) as extras, so the event says
    /// as much as the line.
    /// </summary>
    public void CapturePeerEvent(string kind, string router, string peerAddress, uint peerAs, int? reasonCode, string? reasonText, IReadOnlyList<KeyValuePair<string, object?>>? fields = null)
    {
        var down = kind == "peer_down";
        var evt = new SentryEvent
        {
            Message = string.Create(CultureInfo.InvariantCulture,
                $"BGP peer {peerAddress} AS{peerAs} is {(down ? "down" : "up")} on {router}{(reasonText is null ? "" : ": " + reasonText)}"),
            Level = down ? SentryLevel.Warning : SentryLevel.Info,
            Logger = "bmpmond",
        };
        evt.SetTag("event", kind);
        evt.SetTag("router", router);
        evt.SetTag("peer_address", peerAddress);
        evt.SetTag("peer_as", peerAs.ToString(CultureInfo.InvariantCulture));
        if (reasonCode is { } code)
        {
            evt.SetExtra("reason_code", code);
        }

        if (reasonText is not null)
        {
            evt.SetExtra("reason_text", reasonText);
        }

        for (var i = 0; i < (fields?.Count ?? 0); i++)
        {
            var (key, value) = fields![i];
            var name = SnakeCase.PropertyName(key).Value;
            if (key != "{OriginalFormat}" && name is not ("router" or "peer_address" or "peer_as" or "reason_code" or "reason_text"))
            {
                evt.SetExtra(name, SentryValues.Extra(value));
            }
        }

        evt.SetFingerprint(kind, router, peerAddress);
        SentrySdk.CaptureEvent(evt);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for queued events to be sent. False if the wait itself
    /// timed out (the SDK does not report events it gave up on within its own flush).
    /// </summary>
    public bool Flush(TimeSpan timeout)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return true;
        }

        return SentrySdk.FlushAsync(timeout).Wait(timeout + TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Called by the JSON logger for every entry that passed the level filter: malformed messages and
    /// peer events go through their explicit capture (so the daemon logs once and Sentry gets the
    /// context); any other ERROR or CRITICAL entry goes through <see cref="CaptureError"/>.
    /// </summary>
    internal void OnLogEntry(LogLevel level, string eventName, string message, IReadOnlyList<KeyValuePair<string, object?>>? fields, Exception? exception)
    {
        fields ??= [];
        switch (eventName)
        {
            case "malformed_message":
                CaptureMalformedMessage(
                    SentryValues.String(fields, "router"),
                    SentryValues.String(fields, "message_type"),
                    SentryValues.String(fields, "reason"),
                    SentryValues.Int32(fields, "offset") ?? -1,
                    SentryValues.Int64(fields, "stream_offset") ?? -1,
                    SentryValues.String(fields, "first_bytes_hex"),
                    SentryValues.String(fields, "where"));
                return;
            case "peer_up":
            case "peer_down":
                CapturePeerEvent(
                    eventName,
                    SentryValues.String(fields, "router"),
                    SentryValues.String(fields, "peer_address"),
                    SentryValues.UInt32(fields, "peer_as") ?? 0,
                    SentryValues.Int32(fields, "reason_code"),
                    eventName == "peer_down" ? SentryValues.String(fields, "reason_text") : null,
                    fields);
                return;
            default:
                if (level >= LogLevel.Error)
                {
                    CaptureError(eventName, message, fields, exception);
                }

                return;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _sdk.Dispose();
        }
    }
}
