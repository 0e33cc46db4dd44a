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

    /// <summary>
    /// An output_failed event (the jsonl output on /dev/full) carries the IOException, its message and
    /// its stack, down to bmpmond's own frame that wrote (named under Native AOT too).
    /// </summary>
    public static void AssertOutputFailedWithStack(IEnumerable<JsonElement> events)
    {
        var evt = events.First(e => e.Tag("event") == "output_failed");
        Assert.Equal("error", evt.String("level"));
        var exception = Assert.Single(evt.GetProperty("exception").GetProperty("values").EnumerateArray());
        Assert.Equal("System.IO.IOException", exception.String("type"));
        Assert.Contains("/dev/full", exception.String("value"), StringComparison.Ordinal);
        var frames = exception.GetProperty("stacktrace").GetProperty("frames").EnumerateArray().ToList();
        // JIT: "void OutputPipeline.FlushOutput()" with file and line; Native AOT: module
        // "Bmpmond.Pipeline.OutputPipeline", function "FlushOutput()" and addresses.
        Assert.Contains(frames, f => f.GetProperty("in_app").GetBoolean() && $"{f.String("module")} {f.String("function")}".Contains("OutputPipeline", StringComparison.Ordinal) && f.String("function") is { Length: > 0 });
    }

    /// <summary>The one event whose <c>event</c> tag (the log line's event name) is <paramref name="eventName"/>.</summary>
    public static JsonElement Single(this IEnumerable<JsonElement> events, string eventName) =>
        Assert.Single(events, e => e.Tag("event") == eventName);
}
