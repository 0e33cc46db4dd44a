using System.Text.Json;
using Bmpmon.Core.Decoding;
using Bmpmond.Logging;
using Bmpmond.Pipeline;

namespace Bmpmond.Daemon;

/// <summary>
/// One router's state and counters for the periodic <c>route_stats</c> line: who it is (sysName and
/// sysDescr), since when and how recently it talked, what was decoded, and what the output took.
/// The session updates them under its own lock once per socket read; the reporter snapshots them
/// under the same lock. The pipeline keeps <see cref="Queue"/> per batch.
/// </summary>
internal sealed class RouterStats
{
    private readonly object _lock = new();
    private readonly bool _consumedInSession;
    private long _lastRoutes;
    private DateTime _lastAt = DateTime.UtcNow;

    /// <param name="router">The router's "address:port".</param>
    /// <param name="consumedInSession">The output takes the routes in the session itself (<see cref="IDaemonOutput.ConsumesInSession"/>): every decoded route is processed.</param>
    public RouterStats(string router, bool consumedInSession = false)
    {
        Router = router;
        _consumedInSession = consumedInSession;
    }

    public string Router { get; }

    /// <summary>Counts of the decode: messages by type, NLRI per family, errors.</summary>
    public DecodeSummary Summary { get; } = new();

    /// <summary>This router's batches in the pipeline and the routes the output took from them.</summary>
    public SessionQueueCounters Queue { get; } = new();

    /// <summary>When the router connected (UTC).</summary>
    public DateTime ConnectedAt { get; } = DateTime.UtcNow;

    /// <summary>When the last bytes arrived from the router (UTC); null before the first.</summary>
    public DateTime? LastMessageAt { get; set; }

    /// <summary>sysName and sysDescr from the router's Initiation message (RFC 7854 s4.3), once seen.</summary>
    public string? SysName { get; set; }

    /// <inheritdoc cref="SysName"/>
    public string? SysDescr { get; set; }

    /// <summary>Bytes read from the socket.</summary>
    public long Bytes { get; set; }

    /// <summary>Malformed-message log lines held back by the rate limit since the last report.</summary>
    public long SuppressedErrors { get; set; }

    /// <summary>The lock to hold while decoding into <see cref="Summary"/>.</summary>
    public object Lock => _lock;

    /// <summary>Takes a consistent view of the state and counters, and the route rate since the previous snapshot.</summary>
    public Snapshot TakeSnapshot()
    {
        lock (_lock)
        {
            var now = DateTime.UtcNow;
            long learned = 0, withdrawn = 0;
            var families = new List<(string Family, long Announced, long Withdrawn)>();
            foreach (var (family, count) in Summary.Nlri)
            {
                learned += count.Announced;
                withdrawn += count.Withdrawn;
                families.Add((family.Name, count.Announced, count.Withdrawn));
            }

            var routes = learned + withdrawn;

            // Under the lock no decode runs, and a batch's routes are counted before it is queued:
            // processed never exceeds received.
            var processed = _consumedInSession ? routes : Queue.RoutesWritten;
            var seconds = Math.Max(0.001, (now - _lastAt).TotalSeconds);
            var rate = (routes - _lastRoutes) / seconds;
            (_lastRoutes, _lastAt) = (routes, now);
            var suppressed = SuppressedErrors;
            SuppressedErrors = 0;
            return new Snapshot(Summary.TotalMessages, routes, processed, learned, withdrawn, rate, new FamilyCounts(families), suppressed,
                Queue.Bytes, Queue.Batches, SysName, SysDescr, ConnectedAt, LastMessageAt, Bytes);
        }
    }

    internal readonly record struct Snapshot(
        long Messages,
        long Routes,
        long Processed,
        long Learned,
        long Withdrawn,
        double RoutesPerSecond,
        FamilyCounts Families,
        long SuppressedErrors,
        long QueueBytes,
        long QueueBatches,
        string? SysName,
        string? SysDescr,
        DateTime ConnectedAt,
        DateTime? LastMessageAt,
        long Bytes);

    /// <summary>Per-family counts (routes received, learned, withdrawn) as a nested JSON object in the log line.</summary>
    internal sealed class FamilyCounts(List<(string Family, long Announced, long Withdrawn)> families) : IJsonLogValue
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            foreach (var (family, announced, withdrawn) in families)
            {
                writer.WriteStartObject(family);
                writer.WriteNumber("received", announced + withdrawn);
                writer.WriteNumber("learned", announced);
                writer.WriteNumber("withdrawn", withdrawn);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        public override string ToString() => string.Join(", ", families.Select(f => $"{f.Family} {f.Announced}/{f.Withdrawn}"));
    }
}
