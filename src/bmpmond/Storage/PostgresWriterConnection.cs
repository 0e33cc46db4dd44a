using System.Diagnostics;
using System.Net.Sockets;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// What a writer of batches needs from the database besides the batch SQL: a connection with the
/// session's staging tables, and the partition job. Shared by the daemon's database thread and
/// <c>bmpmond import</c>; used by one thread at a time.
/// </summary>
internal sealed class PostgresWriterConnection(NpgsqlDataSource dataSource, string schema, ILogger logger) : IDisposable
{
    /// <summary>Partitions are created ahead at startup and then at least this often.</summary>
    public static readonly TimeSpan PartitionInterval = TimeSpan.FromHours(1);

    private NpgsqlConnection? _connection;
    private long _lastPartitions;

    /// <summary>
    /// The open connection, or a new one (its staging tables created; <paramref name="commit"/>
    /// told). Throws on database failures.
    /// </summary>
    public NpgsqlConnection Open(PostgresBatchCommit commit)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        Reset();
        var connection = dataSource.OpenConnection();
        try
        {
            using var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.CreateStaging, schema), connection);
            command.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        commit.ConnectionChanged();
        _connection = connection;
        return connection;
    }

    /// <summary>Drops the connection after a failure; the next <see cref="Open"/> makes a new one.</summary>
    public void Reset()
    {
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>The partition job: today and the next two days, at startup and then hourly; its run is recorded in jobs.</summary>
    public void EnsurePartitions(bool force)
    {
        var now = Stopwatch.GetTimestamp();
        if (!force && _lastPartitions != 0 && Stopwatch.GetElapsedTime(_lastPartitions, now) < PartitionInterval)
        {
            return;
        }

        using var connection = dataSource.OpenConnection();
        int created;
        using (var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.EnsurePartitions, schema), connection))
        {
            created = (int)command.ExecuteScalar()!;
        }

        var elapsed = Stopwatch.GetElapsedTime(now).TotalMilliseconds;
        using (var record = new NpgsqlCommand(PostgresSql.For(PostgresSql.RecordJob, schema), connection))
        {
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "partitions" });
            record.Parameters.Add(new NpgsqlParameter<double> { TypedValue = elapsed });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{created} created" });
            record.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = true });
            record.ExecuteNonQuery();
        }

        _lastPartitions = now;
        Log.PartitionsEnsured(logger, created, elapsed);
    }

    public void Dispose() => Reset();

    /// <summary>The exceptions a lost or refusing database throws (anything else is a bug and is not retried).</summary>
    public static bool IsDatabaseFailure(Exception e) =>
        e is NpgsqlException or IOException or SocketException or TimeoutException or InvalidOperationException or ObjectDisposedException;
}
