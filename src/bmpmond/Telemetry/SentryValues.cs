using System.Globalization;
using System.Text.Json;
using Bmpmond.Logging;

namespace Bmpmond.Telemetry;

/// <summary>
/// Reads log fields by their JSON (snake_case) name and turns values into what Sentry serialises
/// without reflection: strings, numbers and booleans (nested log values as their JSON text).
/// </summary>
internal static class SentryValues
{
    public static object? Field(IReadOnlyList<KeyValuePair<string, object?>> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (SnakeCase.PropertyName(fields[i].Key).Value == name)
            {
                return fields[i].Value;
            }
        }

        return null;
    }

    public static string String(IReadOnlyList<KeyValuePair<string, object?>> fields, string name) =>
        Field(fields, name) switch
        {
            null => "",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString() ?? "",
        };

    public static int? Int32(IReadOnlyList<KeyValuePair<string, object?>> fields, string name) =>
        Field(fields, name) is int value ? value : null;

    public static long? Int64(IReadOnlyList<KeyValuePair<string, object?>> fields, string name) =>
        Field(fields, name) switch
        {
            long l => l,
            int i => i,
            _ => null,
        };

    public static uint? UInt32(IReadOnlyList<KeyValuePair<string, object?>> fields, string name) =>
        Field(fields, name) is uint value ? value : null;

    public static object? Extra(object? value) => value switch
    {
        null or string or bool or int or long or uint or ulong or short or ushort or byte or sbyte or double or float or decimal => value,
        IJsonLogValue json => Json(json),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Json(IJsonLogValue value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
