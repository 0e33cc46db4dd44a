using System.Text.Json;

namespace Bmpmon.Tests.Telemetry;

/// <summary>One item of an envelope: its type, its header, and its payload (parsed when it is JSON).</summary>
internal sealed record SentryEnvelopeItem(string Type, JsonElement Header, byte[] Payload)
{
    /// <summary>The payload as JSON (events, transactions): every item type the daemon can send is JSON.</summary>
    public JsonElement Json { get; } = Parse(Payload);

    private static JsonElement Parse(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// A Sentry envelope as the SDK posts it: a JSON header line, then items, each a JSON header line and
/// a payload of the header's <c>length</c> bytes (or, without a length, up to the next newline).
/// </summary>
internal sealed record SentryEnvelope(JsonElement Header, IReadOnlyList<SentryEnvelopeItem> Items)
{
    public static SentryEnvelope Parse(ReadOnlySpan<byte> body)
    {
        var header = ParseJson(Line(body, 0, out var next));
        var items = new List<SentryEnvelopeItem>();
        while (next < body.Length)
        {
            var itemLine = Line(body, next, out next);
            if (itemLine.IsEmpty)
            {
                continue;
            }

            var itemHeader = ParseJson(itemLine);
            byte[] payload;
            if (itemHeader.TryGetProperty("length", out var length))
            {
                payload = body.Slice(next, length.GetInt32()).ToArray();
                next += payload.Length;
                if (next < body.Length && body[next] == (byte)'\n')
                {
                    next++;
                }
            }
            else
            {
                payload = Line(body, next, out next).ToArray();
            }

            items.Add(new SentryEnvelopeItem(itemHeader.GetProperty("type").GetString()!, itemHeader, payload));
        }

        return new SentryEnvelope(header, items);
    }

    private static ReadOnlySpan<byte> Line(ReadOnlySpan<byte> body, int start, out int next)
    {
        var rest = body[start..];
        var end = rest.IndexOf((byte)'\n');
        if (end < 0)
        {
            next = body.Length;
            return rest;
        }

        next = start + end + 1;
        return rest[..end];
    }

    private static JsonElement ParseJson(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.Clone();
    }
}
