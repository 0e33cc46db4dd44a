using System.Net;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Configuration;

/// <summary>
/// The daemon's settings, parsed and validated by <see cref="OptionsLoader"/> from the
/// <c>BMPMOND_*</c> variables (see <see cref="SettingsTable"/> for names and meanings). A plain
/// class, not a record: a record's generated ToString would print <see cref="DatabaseUrl"/> and
/// <see cref="SentryDsn"/>, which must never reach a log.
/// </summary>
internal sealed class BmpmondOptions
{
    /// <summary>The default listening port (RFC 7854 assigns no port to BMP; each collector picks one).</summary>
    public const int DefaultPort = 11019;

    /// <summary>Default <see cref="MaxSessions"/>.</summary>
    public const int DefaultMaxSessions = 1000;

    /// <summary>Default <see cref="MaxMessageBytes"/>: 16 MiB, the framer's own default.</summary>
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>Default pending-output budget in MiB (<c>BMPMOND_MAX_PENDING_MB</c>).</summary>
    public const int DefaultMaxPendingMegabytes = 256;

    /// <summary>Default <see cref="SentryEnvironment"/>.</summary>
    public const string DefaultSentryEnvironment = "production";

    /// <summary>Default <see cref="StatsInterval"/> in seconds.</summary>
    public const int DefaultStatsIntervalSeconds = 10;

    /// <summary>
    /// Default <c>BMPMOND_DATABASE_BATCH_ROWS</c>. pg-ingest.md: 10,000 rows per COPY gave 95k rows/s
    /// where 1,000 gave 52-75k; see PostgresOutput for the group-commit measurements.
    /// </summary>
    public const int DefaultDatabaseBatchRows = 10_000;

    /// <summary>Default <c>BMPMOND_DATABASE_BATCH_WAIT_MS</c>: a trickle of updates is visible within half a second.</summary>
    public const int DefaultDatabaseBatchWaitMs = 500;

    /// <summary>Default <c>BMPMOND_DB_OUTAGE_EXIT</c> in seconds.</summary>
    public const int DefaultDatabaseOutageExitSeconds = 300;

    /// <summary>Default <see cref="ShutdownDrainTimeout"/> in seconds.</summary>
    public const int DefaultShutdownDrainSeconds = 30;

    /// <summary>Where routers connect (<c>[::]:port</c> means dual stack).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Any, DefaultPort);

    /// <summary>The networks routers may connect from; empty means any.</summary>
    public IReadOnlyList<IPNetwork> AllowedRouters { get; init; } = [];

    /// <summary>The most router sessions at once.</summary>
    public int MaxSessions { get; init; } = DefaultMaxSessions;

    /// <summary>The largest BMP message accepted, common header included; a longer one loses the session's framing.</summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>The bound on decoded data waiting for the output; above it the daemon stops reading sockets.</summary>
    public long MaxPendingBytes { get; init; } = DefaultMaxPendingMegabytes * 1024L * 1024L;

    /// <summary>
    /// Where decoded routes and events go: PostgreSQL by default, storing is the collector's job.
    /// With no <see cref="DatabaseUrl"/> the loader stops (exit 2) rather than guess another output.
    /// </summary>
    public OutputSpec Output { get; init; } = OutputSpec.Postgres;

    /// <summary>The minimum level logged.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>How often each router's <c>route_stats</c> line is logged.</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(DefaultStatsIntervalSeconds);

    /// <summary>The Sentry DSN, or null when Sentry is off. A secret: never log it.</summary>
    public string? SentryDsn { get; init; }

    /// <summary>The environment name Sentry events carry.</summary>
    public string SentryEnvironment { get; init; } = DefaultSentryEnvironment;

    /// <summary>The share of transactions sent to Sentry, in [0, 1].</summary>
    public double SentryTracesSampleRate { get; init; }

    /// <summary>How long shutdown waits for the queues to drain into the output.</summary>
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromSeconds(DefaultShutdownDrainSeconds);

    /// <summary>The PostgreSQL connection URL for the storage work, or null. A secret: never log it.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>The PostgreSQL schema of every table bmpmond uses; checked to be a plain identifier, since it is spliced into SQL.</summary>
    public string DbSchema { get; init; } = Bmpmon.Core.Storage.SchemaMigrations.DefaultSchema;
    /// <summary>Routes per PostgreSQL transaction at which a commit starts at once.</summary>
    public int DatabaseBatchRows { get; init; } = DefaultDatabaseBatchRows;

    /// <summary>The longest a route waits for its PostgreSQL transaction to start.</summary>
    public TimeSpan DatabaseBatchWait { get; init; } = TimeSpan.FromMilliseconds(DefaultDatabaseBatchWaitMs);

    /// <summary>How long the database may be unreachable before the daemon closes the sessions and exits 1.</summary>
    public TimeSpan DatabaseOutageExit { get; init; } = TimeSpan.FromSeconds(DefaultDatabaseOutageExitSeconds);
    /// <summary>How long after a Peer Up the routes of the peer's older sync generations that no End-of-RIB swept are withdrawn.</summary>
    public TimeSpan ResyncTimeout { get; init; } = TimeSpan.FromSeconds(Storage.Jobs.JobSchedule.DefaultResyncTimeoutSeconds);

    /// <summary>
    /// Whether a router connecting from <paramref name="address"/> may open a session. A dual-stack
    /// socket reports IPv4 peers as IPv4-mapped IPv6 (<c>::ffff:a.b.c.d</c>): those are matched as
    /// the IPv4 address they are, so <c>10.0.0.0/8</c> admits them.
    /// </summary>
    public bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (AllowedRouters.Count == 0)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        for (int i = 0; i < AllowedRouters.Count; i++)
        {
            if (AllowedRouters[i].Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
