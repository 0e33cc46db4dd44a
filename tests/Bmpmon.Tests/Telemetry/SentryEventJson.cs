using System.Text.Json;

namespace Bmpmon.Tests.Telemetry;

/// <summary>Reads what the tests check in a Sentry event payload: tags (strings) and extras.</summary>
internal static class SentryEventJson
{
    public static string? Tag(this JsonElement evt, string name) =>
        evt.TryGetProperty("tags", out var tags) && tags.TryGetProperty(name, out var value) ? value.GetString() : null;

    public static JsonElement Extra(this JsonElement evt, string name) => evt.GetProperty("extra").GetProperty(name);

    public static string? String(this JsonElement evt, string name) =>
        evt.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>The one event whose <c>event</c> tag (the log line's event name) is <paramref name="eventName"/>.</summary>
    public static JsonElement Single(this IEnumerable<JsonElement> events, string eventName) =>
        Assert.Single(events, e => e.Tag("event") == eventName);
}
