using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Bmpmond.Logging;

/// <summary>
/// JSON property names for log fields. The logging source generator names a field after its template
/// placeholder ("PeerAddress") or, when the parameter is not in the message, after the parameter
/// ("peerAs"); both become snake_case ("peer_address", "peer_as") like the event names. The set of
/// names is small and fixed (one per [LoggerMessage] parameter), so the encoded names are cached.
/// </summary>
internal static class SnakeCase
{
    private static readonly ConcurrentDictionary<string, JsonEncodedText> Cache = new(StringComparer.Ordinal);

    /// <summary>The encoded snake_case property name for a field name.</summary>
    public static JsonEncodedText PropertyName(string name) =>
        Cache.TryGetValue(name, out var encoded) ? encoded : Cache.GetOrAdd(name, static n => JsonEncodedText.Encode(FieldName(n)));

    /// <summary>A field never shadows the line's own properties: "message" becomes "field_message".</summary>
    private static string FieldName(string name)
    {
        var snake = Convert(name);
        return snake is "timestamp" or "level" or "event" or "message" or "exception" or "log_error" ? "field_" + snake : snake;
    }

    /// <summary>"PeerBgpId" and "peerBgpId" give "peer_bgp_id"; a name already in snake_case is kept.</summary>
    public static string Convert(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                // No underscore before the first letter or after one already written.
                if (builder.Length > 0 && builder[^1] != '_')
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
