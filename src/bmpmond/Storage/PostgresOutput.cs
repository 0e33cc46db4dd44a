using System.Diagnostics;
using System.Net.Sockets;
using Bmpmon.Core.Storage;
using Bmpmond.Logging;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// <c>BMPMOND_OUTPUT=postgres</c>. Runs on the pipeline's one writer thread, which owns the
/// connection: <see cref="Write"/> copies each session batch into an accumulation buffer and,
/// from <see cref="DefaultBatchRows"/> routes on (or whenever the queue runs empty: group commit,
/// so a trickle is visible at once and a burst makes big transactions), commits everything in one
/// transaction (<see cref="PostgresBatchCommit"/>). A failure rolls the transaction back and the
/// same rows are committed again after 5 s, with a log line, until the database is back: nothing
/// lost, nothing twice. Meanwhile the pipeline fills and backpressure reaches the routers.
/// </summary>
internal sealed class PostgresOutput : IDaemonOutput
{
    /// <summary>pg-ingest.md: 10,000 rows per COPY gave 95k rows/s where 1,000 gave 52-75k.</summary>
    public const int DefaultBatchRows = 10_000;

    /// <summary>
    /// Also commits once this many bytes are accumulated: quarantined messages (up to the message
    /// size limit each) carry no routes, so the row count alone would not bound the buffer.
    /// </summary>
    public const int MaxAccumulatedBytes = 64 * 1024 * 1024;

    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Partitions are created ahead at startup and then at least this often.</summary>
    public static readonly TimeSpan PartitionInterval = TimeSpan.FromHours(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly string _schema;
    private readonly int _batchRows;
    private readonly PostgresBatchCommit _commit;
    private readonly object _wait = new();
    private byte[] _buffer = new byte[1 << 20];
    private int _length;
    private long _routes;
    private long _lastPartitions;
    private bool _disposed;
    private bool _committing;
    private NpgsqlConnection? _connection;

    private PostgresOutput(NpgsqlDataSource dataSource, string schema, int batchRows, ILogger logger)
    {
        _dataSource = dataSource;
        _schema = schema;
        _batchRows = batchRows;
        _logger = logger;
        _commit = new PostgresBatchCommit(schema);
    }

    public string Name => "postgres";

    /// <summary>Rows committed so far (route_updates rows).</summary>
    public long RoutesCommitted { get; private set; }

    /// <summary>Transactions committed so far.</summary>
    public long Commits { get; private set; }

    /// <summary>
    /// Connects, applies the migrations and creates today's and the next two days' partitions.
    /// Throws <see cref="IOException"/> (the daemon exits 1 naming the output) when the database
    /// cannot be reached or refuses.
    /// </summary>
    public static PostgresOutput Open(string databaseUrl, ILogger logger, string schema = SchemaMigrations.DefaultSchema, int batchRows = DefaultBatchRows)
    {
        if (!DatabaseUrl.TryParse(databaseUrl, out var connectionString, out var problem))
        {
            throw new IOException($"BMPMOND_DATABASE_URL: {problem}");
        }

        var dataSource = PostgresDatabase.Create(connectionString);
        try
        {
            var applied = SchemaMigrator.Apply(dataSource, schema);
            foreach (var step in applied)
            {
                Log.SchemaMigrated(logger, schema, step.Version, step.Description);
            }

            if (SchemaMigrator.HasTimescale(dataSource))
            {
                Log.TimescaleAvailable(logger);
            }

            var output = new PostgresOutput(dataSource, schema, batchRows, logger);
            output.EnsurePartitions(force: true);
            return output;
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            dataSource.Dispose();
            throw new IOException($"PostgreSQL: {e.Message}", e);
        }
    }

    public ISessionOutput OpenSession(string router) => new PostgresSessionOutput(router);

    public void Write(OutputBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var state = (PostgresRouterState)batch.Payload!;
        var bytes = batch.Bytes;
        if (_length + bytes.Length + 64 > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes.Length + 64));
        }

        _commit.AddSegment(state, _length, bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        _routes += batch.Routes;
        if (_routes >= _batchRows || _length >= MaxAccumulatedBytes)
        {
            CommitPending();
        }
    }

    /// <summary>
    /// Called when the pipeline's queue runs empty, under the pipeline's lock: it must not wait
    /// (a wait here stalls every session's Enqueue: measured, throughput fell to ~1.5k rows/s), so
    /// it commits at once. Under load that makes small transactions (~800 rows measured).
    /// </summary>
    public void Flush()
    {
        if (_length > 0)
        {
            CommitPending();
        }
    }

    /// <summary>
    /// The pipeline has flushed by now (its writer thread ends with <see cref="Flush"/>); if that
    /// thread is still retrying against a database that is down, it is told to give up, and waited for.
    /// </summary>
    public void Dispose()
    {
        lock (_wait)
        {
            _disposed = true;
            Monitor.PulseAll(_wait);
            var deadline = Stopwatch.GetTimestamp() + (20 * Stopwatch.Frequency);
            while (_committing && Stopwatch.GetTimestamp() < deadline)
            {
                Monitor.Wait(_wait, TimeSpan.FromSeconds(1));
            }
        }

        _connection?.Dispose();
        _dataSource.Dispose();
    }

    /// <summary>Commits what is accumulated, retrying every 5 s until it works or the output is disposed.</summary>
    private void CommitPending()
    {
        lock (_wait)
        {
            _committing = true;
        }

        try
        {
            CommitWithRetries();
        }
        finally
        {
            lock (_wait)
            {
                _committing = false;
                Monitor.PulseAll(_wait);
            }
        }
    }

    private void CommitWithRetries()
    {
        var failures = 0;
        var since = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                var connection = Connection();
                EnsurePartitions(force: false);
                var rows = _commit.Commit(connection, _buffer.AsSpan(0, _length), _buffer);
                RoutesCommitted += rows;
                Commits++;
                if (failures > 0)
                {
                    Log.DatabaseRecovered(_logger, failures, Stopwatch.GetElapsedTime(since).TotalSeconds);
                }

                break;
            }
            catch (Exception e) when (IsDatabaseFailure(e))
            {
                failures++;
                Log.DatabaseWriteFailed(_logger, e, _routes, failures, RetryDelay.TotalSeconds);
                _connection?.Dispose();
                _connection = null;
                lock (_wait)
                {
                    if (_disposed)
                    {
                        Log.DatabaseRowsLost(_logger, _routes);
                        break;
                    }

                    Monitor.Wait(_wait, RetryDelay);
                    if (_disposed)
                    {
                        Log.DatabaseRowsLost(_logger, _routes);
                        break;
                    }
                }
            }
        }

        _commit.Clear();
        _length = 0;
        _routes = 0;
    }

    private NpgsqlConnection Connection()
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        _connection?.Dispose();
        _connection = null;
        var connection = _dataSource.OpenConnection();
        try
        {
            using var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.CreateStaging, _schema), connection);
            command.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _commit.ConnectionChanged();
        _connection = connection;
        return connection;
    }

    /// <summary>The partition job: today and the next two days, at startup and then hourly; its run is recorded in jobs.</summary>
    private void EnsurePartitions(bool force)
    {
        var now = Stopwatch.GetTimestamp();
        if (!force && Stopwatch.GetElapsedTime(_lastPartitions, now) < PartitionInterval)
        {
            return;
        }

        using var connection = _dataSource.OpenConnection();
        int created;
        using (var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.EnsurePartitions, _schema), connection))
        {
            created = (int)command.ExecuteScalar()!;
        }

        var elapsed = Stopwatch.GetElapsedTime(now).TotalMilliseconds;
        using (var record = new NpgsqlCommand(PostgresSql.For(PostgresSql.RecordJob, _schema), connection))
        {
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "partitions" });
            record.Parameters.Add(new NpgsqlParameter<double> { TypedValue = elapsed });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{created} created" });
            record.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = true });
            record.ExecuteNonQuery();
        }

        _lastPartitions = now;
        Log.PartitionsEnsured(_logger, created, elapsed);
    }

    private static bool IsDatabaseFailure(Exception e) =>
        e is NpgsqlException or IOException or SocketException or TimeoutException or InvalidOperationException or ObjectDisposedException;
}
