using Bmpmon.Core.Storage;
using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// Applies <see cref="SchemaMigrations"/> in one transaction under an advisory lock, so two daemons
/// starting at once do not race: the second waits, then finds every version recorded and applies nothing.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>The advisory lock key that serializes migrations (any constant; "BMP" and RFC 7854).</summary>
    private const long LockKey = 0x424D50_7854;

    /// <summary>Applies what is missing; returns the steps applied (empty when the schema was current).</summary>
    public static IReadOnlyList<SchemaMigration> Apply(NpgsqlDataSource dataSource, string schema = SchemaMigrations.DefaultSchema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (!SchemaMigrations.IsValidSchemaName(schema))
        {
            throw new ArgumentException("schema name must be a lower-case identifier", nameof(schema));
        }

        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock($1)", LockKey);
        Execute(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {schema}");
        Execute(connection, transaction, $"""
            CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
                version     int PRIMARY KEY,
                description text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """);

        var applied = new HashSet<int>();
        using (var command = new NpgsqlCommand($"SELECT version FROM {schema}.schema_migrations", connection, transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var done = new List<SchemaMigration>();
        foreach (var migration in SchemaMigrations.All)
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }

            Execute(connection, transaction, SchemaMigrations.Render(migration, schema));
            using var record = new NpgsqlCommand($"INSERT INTO {schema}.schema_migrations (version, description) VALUES ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Description });
            record.ExecuteNonQuery();
            done.Add(migration);
        }

        transaction.Commit();
        return done;
    }

    /// <summary>True when the server offers the timescaledb extension (detected and logged only for now).</summary>
    public static bool HasTimescale(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')");
        return command.ExecuteScalar() is true;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, long? argument = null)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        if (argument is { } value)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = value });
        }

        command.ExecuteNonQuery();
    }
}
