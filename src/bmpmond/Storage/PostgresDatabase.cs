using Bmpmon.Core.Storage;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bmpmond.Storage;

/// <summary>Npgsql data sources for bmpmond: the slim (AOT-friendly) builder with arrays and network types, nothing else.</summary>
internal static class PostgresDatabase
{
    /// <summary>A data source for <paramref name="connectionString"/> (already parsed by <see cref="DatabaseUrl"/>).</summary>
    public static NpgsqlDataSource Create(string connectionString, string applicationName = "bmpmond")
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        csb.ApplicationName ??= applicationName;

        // A larger write buffer cut the importer's system time ~4x (shared/notes/pg-ingest.md).
        if (csb.WriteBufferSize < 64 * 1024)
        {
            csb.WriteBufferSize = 64 * 1024;
        }

        var builder = new NpgsqlSlimDataSourceBuilder(csb.ConnectionString);
        builder.EnableArrays();
        builder.EnableNetworkTypes();
        return builder.Build();
    }

    /// <summary>
    /// The database's key for attribute set ids (schema step 8). Throws <see cref="IOException"/>
    /// when its row is gone: a new key would give every stored set a second id, so it is not made
    /// up here; the operator restores the row (or deletes step 8 from schema_migrations for a new key).
    /// </summary>
    public static AttributeIdKey ReadAttributeIdKey(NpgsqlDataSource dataSource, string schema)
    {
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand(AttributeIdKeyMigration.Read.Replace("{schema}", schema, StringComparison.Ordinal), connection);
        if (command.ExecuteScalar() is not byte[] { Length: AttributeIdKey.Size } key)
        {
            throw new IOException($"{schema}.attribute_id_key holds no 16-byte key: restore its row, or delete version 8 from {schema}.schema_migrations and run bmpmond migrate to draw a new one (stored attribute sets then get second ids)");
        }

        return AttributeIdKey.FromBytes(key);
    }

    /// <summary>
    /// A data source for <paramref name="databaseUrl"/> with the schema migrated (each step logged).
    /// Throws <see cref="IOException"/> naming the problem when the URL is wrong or the database
    /// cannot be reached or refuses.
    /// </summary>
    public static NpgsqlDataSource OpenMigrated(string databaseUrl, string schema, ILogger logger)
    {
        if (!DatabaseUrl.TryParse(databaseUrl, out var connectionString, out var problem))
        {
            throw new IOException($"BMPMOND_DATABASE_URL: {problem}");
        }

        var dataSource = Create(connectionString);
        try
        {
            foreach (var step in SchemaMigrator.Apply(dataSource, schema))
            {
                Log.SchemaMigrated(logger, schema, step.Version, step.Description);
            }

            if (SchemaMigrator.HasTimescale(dataSource))
            {
                using var connection = dataSource.OpenConnection();
                Log.TimescaleAvailable(logger, Jobs.StorageLayouts.Read(connection, schema) == Jobs.StorageLayout.Hypertables ? "TimescaleDB hypertables" : "native daily partitions");
            }

            return dataSource;
        }
        catch (Exception e) when (PostgresWriterConnection.IsDatabaseFailure(e))
        {
            dataSource.Dispose();
            throw new IOException($"PostgreSQL: {e.Message}", e);
        }
    }
}
