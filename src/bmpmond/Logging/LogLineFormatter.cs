using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Logging;

/// <summary>
/// Renders one log entry as one line of compact JSON: timestamp (UTC, microseconds), level, event,
/// message, then each field as its own property with its natural JSON type, then the exception.
/// Runs on the logging thread, with a writer and buffer reused per thread, so the line is a snapshot
/// of the values at the time of the call.
/// </summary>
internal static class LogLineFormatter
{
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText LevelName = JsonEncodedText.Encode("level");
    private static readonly JsonEncodedText EventName = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText ExceptionName = JsonEncodedText.Encode("exception");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText StackTraceName = JsonEncodedText.Encode("stack_trace");
    private static readonly JsonEncodedText InnerName = JsonEncodedText.Encode("inner");
    private static readonly JsonEncodedText LogErrorName = JsonEncodedText.Encode("log_error");

    private static readonly JsonEncodedText Debug = JsonEncodedText.Encode("DEBUG");
    private static readonly JsonEncodedText Info = JsonEncodedText.Encode("INFO");
    private static readonly JsonEncodedText Warning = JsonEncodedText.Encode("WARNING");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("ERROR");
    private static readonly JsonEncodedText Critical = JsonEncodedText.Encode("CRITICAL");

    /// <summary>The "{OriginalFormat}" entry the source generator appends: the template, not a field.</summary>
    private const string OriginalFormatKey = "{OriginalFormat}";

    /// <summary>Inner exceptions beyond this depth are in the outer stack trace text anyway.</summary>
    private const int MaxInnerExceptions = 3;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    /// <summary>The level's name in the JSON line (TRACE is folded into DEBUG).</summary>
    public static JsonEncodedText LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => Debug,
        LogLevel.Information => Info,
        LogLevel.Warning => Warning,
        LogLevel.Error => Error,
        _ => Critical,
    };

    /// <summary>
    /// Formats one line, newline included, into a buffer rented from <see cref="ArrayPool{T}.Shared"/>
    /// (the caller hands it to <see cref="LogLineWriter"/>, which returns it).
    /// </summary>
    public static byte[] Format(DateTime utc, LogLevel level, string eventName, string message,
        IReadOnlyList<KeyValuePair<string, object?>>? fields, Exception? exception, out int length)
    {
        var buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = _threadWriter ??= new Utf8JsonWriter(buffer);
        try
        {
            WriteEntry(writer, utc, level, eventName, message, fields, exception, null);
        }
        catch (Exception e)
        {
            // Logging never throws into the caller (a network thread).
            // A field that fails to render (an IJsonLogValue writing two values, say) costs its fields, not the line.
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            WriteEntry(writer, utc, level, eventName, message, null, exception, e.Message);
        }

        buffer.Write("\n"u8);

        var bytes = buffer.WrittenSpan;
        length = bytes.Length;
        var line = ArrayPool<byte>.Shared.Rent(length);
        bytes.CopyTo(line);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);

        // Keep a flood of big lines from pinning a large buffer on every network thread.
        if (buffer.Capacity > 64 * 1024)
        {
            _threadBuffer = null;
            _threadWriter = null;
        }

        return line;
    }

    /// <summary>The WARNING line the writer emits after it had to drop lines.</summary>
    public static byte[] FormatDropReport(long droppedDebugLines, long droppedLines)
    {
        var fields = new KeyValuePair<string, object?>[]
        {
            new("dropped_debug_lines", droppedDebugLines),
            new("dropped_lines", droppedLines),
        };
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Log output too slow: dropped {droppedDebugLines} DEBUG and {droppedLines} other lines so far");
        var rented = Format(DateTime.UtcNow, LogLevel.Warning, "log_lines_dropped", message, fields, null, out var length);
        var line = rented.AsSpan(0, length).ToArray();
        ArrayPool<byte>.Shared.Return(rented);
        return line;
    }

    private static void WriteEntry(Utf8JsonWriter writer, DateTime utc, LogLevel level, string eventName, string message,
        IReadOnlyList<KeyValuePair<string, object?>>? fields, Exception? exception, string? logError)
    {
        Span<byte> timestamp = stackalloc byte[32];
        utc.TryFormat(timestamp, out var written, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

        writer.WriteStartObject();
        writer.WriteString(TimestampName, timestamp[..written]);
        writer.WriteString(LevelName, LevelText(level));
        writer.WriteString(EventName, eventName);
        writer.WriteString(MessageName, message);
        if (fields is not null)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                var field = fields[i];
                if (field.Key == OriginalFormatKey)
                {
                    continue;
                }

                writer.WritePropertyName(SnakeCase.PropertyName(field.Key));
                WriteValue(writer, field.Value);
            }
        }

        if (exception is not null)
        {
            writer.WritePropertyName(ExceptionName);
            WriteException(writer, exception, MaxInnerExceptions);
        }

        if (logError is not null)
        {
            writer.WriteString(LogErrorName, logError);
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Numbers as numbers, booleans, null, nested JSON for <see cref="IJsonLogValue"/>, else a string.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case uint u:
                writer.WriteNumberValue(u);
                break;
            case ulong ul:
                writer.WriteNumberValue(ul);
                break;
            case ushort us:
                writer.WriteNumberValue(us);
                break;
            case short sh:
                writer.WriteNumberValue(sh);
                break;
            case byte by:
                writer.WriteNumberValue(by);
                break;
            case sbyte sb:
                writer.WriteNumberValue(sb);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case IJsonLogValue json:
                json.WriteTo(writer);
                break;
            case DateTime dt:
                writer.WriteStringValue(dt);
                break;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto);
                break;
            case IFormattable formattable:
                writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }

    private static void WriteException(Utf8JsonWriter writer, Exception exception, int innerBudget)
    {
        writer.WriteStartObject();
        writer.WriteString(TypeName, exception.GetType().FullName);
        writer.WriteString(MessageName, exception.Message);
        if (exception.StackTrace is { } stackTrace)
        {
            writer.WriteString(StackTraceName, stackTrace);
        }

        if (exception.InnerException is { } inner && innerBudget > 0)
        {
            writer.WritePropertyName(InnerName);
            WriteException(writer, inner, innerBudget - 1);
        }

        writer.WriteEndObject();
    }
}
