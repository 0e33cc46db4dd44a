using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Bmpmond;

namespace Bmpmon.Tests.Replay;

/// <summary>Runs <c>bmpmond replay</c> through the CLI entry point, bounded in time.</summary>
internal sealed record ReplayRun(int Code, JsonElement? Report, string Stderr, TimeSpan Elapsed)
{
    public static async Task<ReplayRun> StartAsync(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var clock = Stopwatch.StartNew();
        var code = await Task.Run(() => Cli.Run(["replay", .. args], stdout, stderr)).WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();
        var text = Encoding.UTF8.GetString(stdout.ToArray());
        JsonElement? report = text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
        return new ReplayRun(code, report, stderr.ToString(), clock.Elapsed);
    }

    public long Number(string key) => Report!.Value.GetProperty(key).GetInt64();
}
