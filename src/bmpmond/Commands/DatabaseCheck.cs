using System.Globalization;
using System.Net.Sockets;
using Bmpmon.Core.Storage;
using Bmpmond.Storage;
using Npgsql;

namespace Bmpmond.Commands;

/// <summary>
/// The database step of <c>bmpmond check</c> (with <c>BMPMOND_OUTPUT=postgres</c>): connect within
/// the timeout and read <c>schema_migrations</c>, which proves the server answers, the credentials
/// work, and the schema the daemon writes into is there and complete. A health check that only
/// pinged the server would call a collector healthy while every batch fails on a missing table.
/// </summary>
internal static class DatabaseCheck
{
    /// <summary>
    /// Runs the check. On success <paramref name="result"/> says which schema version answered; on
    /// failure it is one line with the reason (refused, timeout, authentication failed, database or
    /// schema missing, schema behind), never the URL or its password.
    /// </summary>
    public static bool TryCheck(string connectionString, TimeSpan timeout, out string result, string schema = SchemaMigrations.DefaultSchema)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // A probe leaves nothing behind: no pool kept, no retry; whole seconds, at least one.
            Pooling = false,
            Timeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            ApplicationName = "bmpmond check",
        };
        try
        {
            using var dataSource = PostgresDatabase.Create(csb.ConnectionString, "bmpmond check");
            using var connection = dataSource.OpenConnection();
            using var command = new NpgsqlCommand($"SELECT version FROM {schema}.schema_migrations", connection);
            var applied = new HashSet<int>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            return Compare(applied, schema, out result);
        }
        catch (PostgresException e)
        {
            result = Describe(e, schema);
        }
        catch (NpgsqlException e)
        {
            result = Describe(e, timeout);
        }
        catch (TimeoutException)
        {
            result = TimedOut(timeout);
        }

        return false;
    }

    /// <summary>Every version this binary knows must be recorded; a newer bmpmond's extra versions are fine.</summary>
    private static bool Compare(HashSet<int> applied, string schema, out string result)
    {
        var missing = new List<int>();
        var latest = 0;
        foreach (var migration in SchemaMigrations.All)
        {
            latest = Math.Max(latest, migration.Version);
            if (!applied.Contains(migration.Version))
            {
                missing.Add(migration.Version);
            }
        }

        if (missing.Count > 0)
        {
            result = $"schema {schema} lacks migration {string.Join(", ", missing)} of {latest} (bmpmond migrate, or bmpmond run which migrates at start)";
            return false;
        }

        result = $"database answers, schema {schema} at version {applied.Max().ToString(CultureInfo.InvariantCulture)}";
        return true;
    }

    /// <summary>The server's refusals by SQLSTATE: the server's own message names the user or database, never the password.</summary>
    private static string Describe(PostgresException e, string schema) => e.SqlState switch
    {
        PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
            $"authentication failed ({e.MessageText})",
        PostgresErrorCodes.InvalidCatalogName => $"database missing ({e.MessageText})",
        PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName =>
            $"schema missing: no {schema}.schema_migrations (bmpmond migrate, or bmpmond run which migrates at start)",
        PostgresErrorCodes.InsufficientPrivilege => $"no permission to read {schema}.schema_migrations ({e.MessageText})",
        _ => $"{e.SqlState}: {e.MessageText}",
    };

    private static string Describe(NpgsqlException e, TimeSpan timeout)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused (is PostgreSQL running, on that host and port?)";
                case SocketException socket:
                    return socket.Message;
                case TimeoutException:
                    return TimedOut(timeout);
            }
        }

        return e.Message;
    }

    private static string TimedOut(TimeSpan timeout) =>
        $"no answer within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
