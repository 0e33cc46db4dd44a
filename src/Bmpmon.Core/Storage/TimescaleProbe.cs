namespace Bmpmon.Core.Storage;

/// <summary>
/// What the server says about TimescaleDB and the two time-series tables, read inside the
/// migration transaction just before schema step 5 (<see cref="TimescaleMigration"/>).
/// </summary>
/// <param name="Available">The <c>timescaledb</c> extension is in <c>pg_available_extensions</c> (its files are installed).</param>
/// <param name="Installed">The extension is already created in this database (<c>pg_extension</c>).</param>
/// <param name="Preloaded">
/// The TimescaleDB library is loaded (its <c>timescaledb.*</c> settings exist): TimescaleDB 2.x must be in
/// <c>shared_preload_libraries</c>, or <c>CREATE EXTENSION</c> fails. Read from <c>pg_settings</c>,
/// which any role may, where <c>shared_preload_libraries</c> itself is for superusers only.
/// </param>
/// <param name="MayCreate">The role may create the extension: a superuser, or the extension is trusted (or needs no superuser) and the role has CREATE on the database.</param>
/// <param name="RouteUpdatesPartitioned"><c>route_updates</c> is natively partitioned, as step 1 creates it.</param>
/// <param name="TablesEmpty"><c>route_updates</c> and <c>peer_events</c> hold no row (a fresh install).</param>
public readonly record struct TimescaleProbe(
    bool Available,
    bool Installed,
    bool Preloaded,
    bool MayCreate,
    bool RouteUpdatesPartitioned,
    bool TablesEmpty)
{
    /// <summary>
    /// Which way step 5 goes. Only <see cref="TimescaleOutcome.Convert"/> changes anything; every
    /// other outcome leaves native partitioning exactly as it is, and says why.
    /// </summary>
    public TimescaleOutcome Decide()
    {
        if (!Available && !Installed)
        {
            return TimescaleOutcome.NotAvailable;
        }

        if (!Preloaded)
        {
            return TimescaleOutcome.NotPreloaded;
        }

        if (!Installed && !MayCreate)
        {
            return TimescaleOutcome.NotPermitted;
        }

        if (!RouteUpdatesPartitioned)
        {
            return TimescaleOutcome.NotNativelyPartitioned;
        }

        // create_hypertable cannot take a declaratively partitioned table, and copying years of
        // route updates inside a migration would hold every writer for hours: only a fresh install converts.
        return TablesEmpty ? TimescaleOutcome.Convert : TimescaleOutcome.TablesNotEmpty;
    }
}

/// <summary>The outcome of schema step 5.</summary>
public enum TimescaleOutcome
{
    /// <summary>Plain PostgreSQL: native daily partitions, the partitions and retention jobs do the work.</summary>
    NotAvailable,

    /// <summary>The extension's files are there but the library is not in <c>shared_preload_libraries</c>.</summary>
    NotPreloaded,

    /// <summary>The role may not create the extension (not a superuser, extension not trusted or no CREATE on the database).</summary>
    NotPermitted,

    /// <summary><c>route_updates</c> is not natively partitioned any more (converted by hand): left as it is.</summary>
    NotNativelyPartitioned,

    /// <summary><c>route_updates</c> or <c>peer_events</c> holds rows: native partitioning is kept.</summary>
    TablesNotEmpty,

    /// <summary>Fresh install with TimescaleDB: both tables become hypertables with retention and compression policies.</summary>
    Convert,
}
