using System.Diagnostics;

namespace Bmpmond.Replay;

/// <summary>
/// Runs a replay: <see cref="ReplayOptions.Connections"/> copies of every stream, each copy of each
/// stream on its own connection, all at once; the message rate, if any, is split evenly between them.
/// </summary>
internal static class ReplayRunner
{
    /// <summary>Connects in flight at once: below Linux's default accept backlog (4096, or 512 for .NET's Listen()).</summary>
    private const int MaxConnectsInFlight = 256;

    /// <summary>Replays <paramref name="streams"/> as <paramref name="options"/> say and reports what was sent.</summary>
    public static async Task<ReplayReport> RunAsync(IReadOnlyList<ReplayStream> streams, ReplayOptions options, CancellationToken cancellationToken = default)
    {
        var total = checked(streams.Count * options.Connections);
        double? perConnection = options.Rate / total;
        var blocks = new SendBlock[streams.Count];
        for (var s = 0; s < streams.Count; s++)
        {
            blocks[s] = perConnection is null ? SendBlock.For(streams[s], options.Loop) : new SendBlock(streams[s].Payload, 1);
        }

        using var gate = new SemaphoreSlim(MaxConnectsInFlight);
        var started = Stopwatch.GetTimestamp();
        var tasks = new Task<ConnectionResult>[total];
        for (var copy = 0; copy < options.Connections; copy++)
        {
            for (var s = 0; s < streams.Count; s++)
            {
                var number = (copy * streams.Count) + s;
                var name = options.Connections == 1
                    ? $"connection {number + 1} ({streams[s].Name})"
                    : $"connection {number + 1} ({streams[s].Name}, copy {copy + 1})";
                var connection = new ReplayConnection(name, streams[s], options, blocks[s], perConnection);
                tasks[number] = connection.RunAsync(gate, cancellationToken);
            }
        }

        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        long messages = 0;
        long bytes = 0;
        var failed = 0;
        var errors = new List<string>();
        foreach (var result in results)
        {
            messages += result.Messages;
            bytes += result.Bytes;
            if (result.Error is { } error)
            {
                failed++;
                if (errors.Count < ReplayReport.MaxListedErrors)
                {
                    errors.Add(error);
                }
            }
        }

        return new ReplayReport
        {
            Connections = total,
            Streams = streams.Count,
            Messages = messages,
            Bytes = bytes,
            Seconds = seconds,
            FailedConnections = failed,
            Errors = errors,
        };
    }
}
