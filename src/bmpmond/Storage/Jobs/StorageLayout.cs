using Npgsql;

namespace Bmpmond.Storage.Jobs;

/// <summary>How <c>route_updates</c> is stored, which decides what the partitions and retention jobs do.</summary>
internal enum StorageLayout
{
    /// <summary>Native daily partitions (schema step 1): the jobs create and drop them.</summary>
    NativePartitions,

    /// <summary>TimescaleDB hypertables (schema step 5): TimescaleDB creates chunks, its policies drop and compress them.</summary>
    Hypertables,

    /// <summary>A plain table without TimescaleDB (converted by hand): nothing to create or drop; peer_events retention still runs.</summary>
    Unpartitioned,
}

/// <summary>Reads the <see cref="StorageLayout"/> of a schema.</summary>
internal static class StorageLayouts
{
    /// <summary>
    /// One catalog query per job run: cheap, and always current (no state kept in the daemon
    /// that a migration by another process could make stale).
    /// </summary>
    public static StorageLayout Read(NpgsqlConnection connection, string schema)
    {
        using var command = new NpgsqlCommand(JobSql.For(JobSql.Layout, schema), connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Of(reader.GetBoolean(0), reader.GetBoolean(1));
    }

    /// <summary>The layout from the two facts <see cref="JobSql.Layout"/> reads.</summary>
    public static StorageLayout Of(bool routeUpdatesPartitioned, bool timescaleInstalled) =>
        routeUpdatesPartitioned ? StorageLayout.NativePartitions
        : timescaleInstalled ? StorageLayout.Hypertables
        : StorageLayout.Unpartitioned;
}
