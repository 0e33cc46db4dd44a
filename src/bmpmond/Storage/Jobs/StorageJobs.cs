using System.Globalization;
using Bmpmon.Core.Storage;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Bmpmond.Storage.Jobs;

/// <summary>The bodies of bmpmond's periodic jobs against PostgreSQL: partitions, retention, reconciliation, stats.</summary>
internal static class StorageJobs
{
    public const string Partitions = "partitions";
    public const string Retention = "retention";
    public const string Reconcile = "reconcile";
    public const string Stats = "stats";
    public const string Resync = "resync";

    /// <summary>Reconciliation and retention may scan a lot; they get more than Npgsql's default 30 s.</summary>
    private const int LongCommandSeconds = 600;

    /// <summary>Tries of one reconciliation run that meets the writer's concurrent updates.</summary>
    private const int ReconcileAttempts = 3;

    /// <summary>The jobs with <paramref name="schedule"/>'s intervals.</summary>
    public static IReadOnlyList<PeriodicJob> All(string schema, JobSchedule schedule, ILogger logger) =>
    [
        new(Partitions, schedule.Partitions, c => EnsurePartitions(c, schema)),
        new(Retention, schedule.Retention, c => ApplyRetention(c, schema, schedule.RouteUpdatesRetention, schedule.PeerEventsRetention)),
        new(Reconcile, schedule.Reconcile, c => ReconcileRoutes(c, schema, schedule.ReconcileWindow, schedule.ReconcileSettle)),
        new(Stats, schedule.Stats, c => LogStats(c, schema, logger)),
        new(Resync, schedule.Resync, c => SweepStaleSyncs(c, schema, schedule.ResyncTimeout)),
    ];

    public static string EnsurePartitions(NpgsqlConnection connection, string schema)
    {
        switch (StorageLayouts.Read(connection, schema))
        {
            case StorageLayout.Hypertables:
                return "TimescaleDB hypertables: TimescaleDB creates the chunks as rows arrive";
            case StorageLayout.Unpartitioned:
                return "route_updates is not partitioned: no partitions to create";
        }

        using var command = new NpgsqlCommand(JobSql.For(JobSql.EnsurePartitions, schema), connection);
        int created;
        try
        {
            created = (int)command.ExecuteScalar()!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateTable)
        {
            // The writer thread creates partitions too (at start and hourly): it won the race for
            // one; the next call finds it and creates only what is still missing.
            created = (int)command.ExecuteScalar()!;
        }

        return $"{created.ToString(CultureInfo.InvariantCulture)} partitions created";
    }

    public static string ApplyRetention(NpgsqlConnection connection, string schema, TimeSpan routeUpdates, TimeSpan peerEvents)
    {
        var layout = StorageLayouts.Read(connection, schema);
        if (layout == StorageLayout.Hypertables)
        {
            return $"TimescaleDB retention policies drop route_updates chunks after {TimescaleMigration.RouteUpdatesRetention} and peer_events chunks after {TimescaleMigration.PeerEventsRetention}";
        }

        var dropped = 0;
        if (layout == StorageLayout.NativePartitions)
        {
            using var command = new NpgsqlCommand(JobSql.For(JobSql.DropRouteUpdatePartitions, schema), connection) { CommandTimeout = LongCommandSeconds };
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = routeUpdates, NpgsqlDbType = NpgsqlDbType.Interval });
            dropped = (int)command.ExecuteScalar()!;
        }

        int deleted;
        using (var command = new NpgsqlCommand(JobSql.For(JobSql.DeletePeerEvents, schema), connection) { CommandTimeout = LongCommandSeconds })
        {
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = peerEvents, NpgsqlDbType = NpgsqlDbType.Interval });
            deleted = command.ExecuteNonQuery();
        }

        return $"{dropped.ToString(CultureInfo.InvariantCulture)} route_updates partitions dropped, {deleted.ToString(CultureInfo.InvariantCulture)} peer_events deleted";
    }

    /// <summary>
    /// Runs <see cref="JobSql.Reconcile"/> in a REPEATABLE READ transaction: if the writer commits a
    /// newer state for a row after the statement's snapshot, the UPDATE fails with a serialization
    /// error instead of putting the older state back, and is tried again on a fresh snapshot.
    /// </summary>
    public static string ReconcileRoutes(NpgsqlConnection connection, string schema, TimeSpan window, TimeSpan settle)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            using var command = new NpgsqlCommand(JobSql.For(JobSql.Reconcile, schema), connection, transaction) { CommandTimeout = LongCommandSeconds };
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = window, NpgsqlDbType = NpgsqlDbType.Interval });
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = settle, NpgsqlDbType = NpgsqlDbType.Interval });
            try
            {
                var repaired = command.ExecuteNonQuery();
                transaction.Commit();
                return $"{repaired.ToString(CultureInfo.InvariantCulture)} routes repaired{(attempt > 1 ? $" (attempt {attempt.ToString(CultureInfo.InvariantCulture)})" : string.Empty)}";
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SerializationFailure && attempt < ReconcileAttempts)
            {
                transaction.Rollback();
            }
        }
    }

    /// <summary>
    /// The <c>BMPMOND_RESYNC_TIMEOUT</c> sweep: peers whose Peer Up arrived longer ago than
    /// <paramref name="timeout"/> and are not swept yet get every route still on an older
    /// generation withdrawn (at Peer Up time + timeout), and their open <c>peer_sync</c> rows closed
    /// as 'timeout', in one statement (see <see cref="JobSql.SweepStaleSyncs"/>).
    /// </summary>
    public static string SweepStaleSyncs(NpgsqlConnection connection, string schema, TimeSpan timeout)
    {
        using var command = new NpgsqlCommand(JobSql.For(JobSql.SweepStaleSyncs, schema), connection) { CommandTimeout = LongCommandSeconds };
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = timeout, NpgsqlDbType = NpgsqlDbType.Interval });
        using var reader = command.ExecuteReader();
        reader.Read();
        var peers = reader.GetInt64(0);
        var withdrawn = reader.GetInt64(1);
        return $"{peers.ToString(CultureInfo.InvariantCulture)} peers past the resync timeout, {withdrawn.ToString(CultureInfo.InvariantCulture)} stale routes withdrawn";
    }

    public static string LogStats(NpgsqlConnection connection, string schema, ILogger logger)
    {
        var s = DatabaseStats.Read(connection, schema);
        Log.DatabaseStats(logger, s.Routers, s.ActiveRouters, s.Peers, s.PeersUp, s.LiveRoutes, s.WithdrawnRoutes, s.IngestLagSeconds);
        return $"{s.LiveRoutes.ToString(CultureInfo.InvariantCulture)} live routes";
    }
}
