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

    /// <summary>
    /// Applies what is missing; returns the steps applied (empty when the schema was current). Step 5
    /// comes back as it went: its description says whether TimescaleDB took over, and if not why.
    /// </summary>
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

            var step = migration.Version == TimescaleMigration.Version
                ? TimescaleMigration.Applied(Probe(connection, transaction, schema).Decide(), schema)
                : migration;
            var sql = SchemaMigrations.Render(step, schema);
            if (sql.Length > 0)
            {
                Execute(connection, transaction, sql);
            }

            using var record = new NpgsqlCommand($"INSERT INTO {schema}.schema_migrations (version, description) VALUES ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = step.Description });
            record.ExecuteNonQuery();
            done.Add(step);
        }

        transaction.Commit();
        return done;
    }

    /// <summary>What schema step 5 decides on: TimescaleDB's availability and the state of the two time-series tables.</summary>
    public static TimescaleProbe Probe(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = new NpgsqlCommand(TimescaleMigration.ProbeSql.Replace("{schema}", schema, StringComparison.Ordinal), connection, transaction);
        using var reader = command.ExecuteReader();
        reader.Read();
        return new TimescaleProbe(reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4), reader.GetBoolean(5));
    }

    /// <summary>True when the server offers the timescaledb extension.</summary>
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
