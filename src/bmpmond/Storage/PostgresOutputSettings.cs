using Bmpmond.Configuration;

namespace Bmpmond.Storage;

/// <summary>How the PostgreSQL output batches and how long it bears an outage (from the <c>BMPMOND_*</c> settings).</summary>
/// <param name="BatchRows"><c>BMPMOND_DATABASE_BATCH_ROWS</c>: routes at which a commit starts at once.</param>
/// <param name="BatchWait"><c>BMPMOND_DATABASE_BATCH_WAIT_MS</c>: the longest a route waits for its commit to start.</param>
/// <param name="MaxPendingBytes">The bound on the rows waiting for the database (a share of <c>BMPMOND_MAX_PENDING_MB</c>).</param>
/// <param name="OutageExit"><c>BMPMOND_DB_OUTAGE_EXIT</c>: how long the database may be unreachable before the output gives up.</param>
internal sealed record PostgresOutputSettings(int BatchRows, TimeSpan BatchWait, long MaxPendingBytes, TimeSpan OutageExit)
{
    /// <summary>The defaults of the settings.</summary>
    public static PostgresOutputSettings Default { get; } = From(new BmpmondOptions());

    /// <summary>
    /// From the daemon's options. The rows waiting for the database get a quarter of
    /// <c>BMPMOND_MAX_PENDING_MB</c>, both buffers' arrays counted; the pipeline's queue in front
    /// gets the rest (<see cref="Pipeline.IDaemonOutput.HeldBytesBound"/>), so the daemon holds at
    /// most the setting in decoded data.
    /// </summary>
    public static PostgresOutputSettings From(BmpmondOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.DatabaseBatchRows, options.DatabaseBatchWait, options.MaxPendingBytes / 4, options.DatabaseOutageExit);
    }
}
