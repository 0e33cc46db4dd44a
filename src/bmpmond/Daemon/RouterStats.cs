using System.Text.Json;
using Bmpmon.Core.Decoding;
using Bmpmond.Logging;

namespace Bmpmond.Daemon;

/// <summary>
/// One router's counters for the periodic <c>route_stats</c> line. The session updates them under
/// its own lock once per socket read; the reporter snapshots them under the same lock.
/// </summary>
internal sealed class RouterStats
{
    private readonly object _lock = new();
    private long _lastRoutes;
    private DateTime _lastAt = DateTime.UtcNow;

    public RouterStats(string router) => Router = router;

    public string Router { get; }

    /// <summary>Counts of the decode: messages by type, NLRI per family, errors.</summary>
    public DecodeSummary Summary { get; } = new();

    /// <summary>When the router connected.</summary>
    public DateTime ConnectedAt { get; } = DateTime.UtcNow;

    /// <summary>When the last bytes arrived.</summary>
    public DateTime LastMessageAt { get; set; }

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

    /// <summary>Takes a consistent view of the counters and the route rate since the previous snapshot.</summary>
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
            var seconds = Math.Max(0.001, (now - _lastAt).TotalSeconds);
            var rate = (routes - _lastRoutes) / seconds;
            (_lastRoutes, _lastAt) = (routes, now);
            var suppressed = SuppressedErrors;
            SuppressedErrors = 0;
            return new Snapshot(Summary.TotalMessages, routes, learned, withdrawn, rate, new FamilyCounts(families), suppressed);
        }
    }

    internal readonly record struct Snapshot(long Messages, long Routes, long Learned, long Withdrawn, double RoutesPerSecond, FamilyCounts Families, long SuppressedErrors);

    /// <summary>Per-family counts as a nested JSON object in the log line.</summary>
    internal sealed class FamilyCounts(List<(string Family, long Announced, long Withdrawn)> families) : IJsonLogValue
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            foreach (var (family, announced, withdrawn) in families)
            {
                writer.WriteStartObject(family);
                writer.WriteNumber("learned", announced);
                writer.WriteNumber("withdrawn", withdrawn);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        public override string ToString() => string.Join(", ", families.Select(f => $"{f.Family} {f.Announced}/{f.Withdrawn}"));
    }
}
