using System.Text;
using System.Text.Json;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;

namespace Bmpmon.Tests.Logging;

/// <summary>Runs log calls against a JSON logger writing to memory and returns the lines once flushed.</summary>
internal static class LogCapture
{
    public static string[] Lines(LogLevel minimum, Action<ILogger> log)
    {
        var output = new MemoryStream();
        using (var factory = JsonLogging.CreateFactory(minimum, output))
        {
            log(factory.CreateLogger("test"));
        }

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the output ends inside a line");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The single line a call produced, parsed, with the common properties checked.</summary>
    public static JsonElement Single(LogLevel minimum, Action<ILogger> log, string level, string eventName)
    {
        var lines = Lines(minimum, log);
        var line = Assert.Single(lines);
        var root = JsonDocument.Parse(line).RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var timestamp = root.GetProperty("timestamp").GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", timestamp);
        Assert.Equal(level, root.GetProperty("level").GetString());
        Assert.Equal(eventName, root.GetProperty("event").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("message").GetString()));

        // The first four properties, in this order: operators' tools read the line head.
        var names = root.EnumerateObject().Select(p => p.Name).Take(4).ToArray();
        Assert.Equal(new[] { "timestamp", "level", "event", "message" }, names);
        Assert.False(root.TryGetProperty("{OriginalFormat}", out _));
        return root;
    }
}
