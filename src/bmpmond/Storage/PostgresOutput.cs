using System.Diagnostics;
using Bmpmon.Core.Storage;
using Bmpmond.Logging;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// <c>BMPMOND_OUTPUT=postgres</c>. The pipeline's writer thread only copies session batches into
/// a double buffer (<see cref="GroupCommitQueue"/>); a dedicated database thread owns the
/// connection and commits each swapped-out buffer (<see cref="PostgresBatchCommit"/>), its history
/// and its new attribute sets at the same time on connections of their own, each driven by a
/// <see cref="CommitThread"/>: group commit, so
/// a trickle is visible at once and a burst makes big transactions while the next one fills. A failure rolls the transaction back and the
/// same rows are committed again every 5 s, with a log line, until the database is back: nothing
/// lost, nothing twice. Meanwhile the filling buffer reaches its bound, the pipeline fills and
/// backpressure reaches the routers. After <c>BMPMOND_DB_OUTAGE_EXIT</c> of outage the output
/// gives up, drops what is pending and tells the daemon (<see cref="OutageLimitReached"/>), which
/// closes the sessions and exits 1: the routers resend their tables when they reconnect.
/// </summary>
internal sealed class PostgresOutput : IDaemonOutput
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>How long <see cref="Dispose"/> lets the database thread finish (the drain came before it).</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(20);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly PostgresOutputSettings _settings;
    private readonly PostgresBatchCommit _commit;
    private readonly AttributeIdKey _attributeIdKey;
    private readonly PostgresWriterConnection _connection;
    private readonly PostgresWriterConnection _historyConnection;
    private readonly PostgresWriterConnection _attributesConnection;
    private readonly CommitThread _history = new("bmpmond-history");
    private readonly CommitThread _attributes = new("bmpmond-attrs");
    private readonly GroupCommitQueue _queue;
    private readonly Thread _thread;
    private readonly object _wait = new();
    private bool _disposed;
    private long _routesCommitted;
    private long _commits;
    private int _gaveUp;

    private PostgresOutput(NpgsqlDataSource dataSource, string schema, PostgresOutputSettings settings, ILogger logger)
    {
        _dataSource = dataSource;
        _settings = settings;
        _logger = logger;
        _commit = new PostgresBatchCommit(schema, freshPeers: true);
        _attributeIdKey = PostgresDatabase.ReadAttributeIdKey(dataSource, schema);
        _connection = new PostgresWriterConnection(dataSource, schema, logger);
        _historyConnection = new PostgresWriterConnection(dataSource, schema, logger);
        _attributesConnection = new PostgresWriterConnection(dataSource, schema, logger);
        _queue = new GroupCommitQueue(settings.BatchRows, settings.BatchWait, settings.MaxPendingBytes);
        _thread = new Thread(Run) { Name = "bmpmond-database", IsBackground = true };
    }

    public string Name => "postgres";

    /// <summary>The double buffer's bound (<see cref="PostgresOutputSettings.MaxPendingBytes"/>: a quarter of <c>BMPMOND_MAX_PENDING_MB</c>).</summary>
    public long HeldBytesBound => _queue.MaxHeldBytes;

    /// <summary>The double buffer's arrays now, in bytes.</summary>
    public long HeldBytes => _queue.HeldBytes;

    /// <summary>Rows committed so far (route_updates rows).</summary>
    public long RoutesCommitted => Volatile.Read(ref _routesCommitted);

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Volatile.Read(ref _commits);

    /// <summary>True once an outage outlasted <c>BMPMOND_DB_OUTAGE_EXIT</c>: pending rows were dropped, later ones are.</summary>
    public bool GaveUp => Volatile.Read(ref _gaveUp) != 0;

    /// <summary>Raised once, on the database thread, when an outage outlasts <c>BMPMOND_DB_OUTAGE_EXIT</c>.</summary>
    public event Action? OutageLimitReached;

    /// <summary>
    /// Connects, applies the migrations, creates today's and the next two days' partitions and
    /// starts the database thread. Throws <see cref="IOException"/> (the daemon exits 1 naming the
    /// output) when the database cannot be reached or refuses.
    /// </summary>
    public static PostgresOutput Open(string databaseUrl, ILogger logger, PostgresOutputSettings? settings = null, string schema = SchemaMigrations.DefaultSchema)
    {
        var dataSource = PostgresDatabase.OpenMigrated(databaseUrl, schema, logger);
        try
        {
            var output = new PostgresOutput(dataSource, schema, settings ?? PostgresOutputSettings.Default, logger);
            output._connection.EnsurePartitions(force: true);
            output._thread.Start();
            return output;
        }
        catch (Exception e) when (PostgresWriterConnection.IsDatabaseFailure(e))
        {
            dataSource.Dispose();
            throw new IOException($"PostgreSQL: {e.Message}", e);
        }
    }

    public ISessionOutput OpenSession(string router) => new PostgresSessionOutput(router, _attributeIdKey);

    /// <summary>Pipeline thread, outside its lock: copies the batch; waits while the rows waiting for the database are at their bound.</summary>
    public void Write(OutputBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _queue.Append(batch);
    }

    /// <summary>
    /// The pipeline's queue ran empty. Called under the pipeline's lock, so it only tells the
    /// database thread (a wait here would stall every session's Enqueue: measured, throughput fell
    /// to ~1.5k rows/s when commits ran here).
    /// </summary>
    public void Flush() => _queue.PipelineIdle();

    /// <summary>Waits until every row written so far is committed, up to <paramref name="timeout"/>; false on timeout or when the output gave up.</summary>
    public bool Drain(TimeSpan timeout) => _queue.Drain(timeout);

    /// <summary>
    /// Commits what is still pending and stops the database thread; if it is retrying against a
    /// database that is down, it is told to give up (the rows are logged as lost), and waited for.
    /// </summary>
    public void Dispose()
    {
        _queue.Stop();
        lock (_wait)
        {
            _disposed = true;
            Monitor.PulseAll(_wait);
        }

        if (_thread.IsAlive && !_thread.Join(StopWait))
        {
            // Stuck inside the database driver: leave it (background thread); the process ends.
            return;
        }

        LogWriterTime();
        _history.Dispose();
        _attributes.Dispose();
        _connection.Dispose();
        _historyConnection.Dispose();
        _attributesConnection.Dispose();
        _dataSource.Dispose();
    }

    /// <summary>The database thread: takes the next due buffer and commits it, until stopped.</summary>
    private void Run()
    {
        while (_queue.Take() is { } buffer)
        {
            try
            {
                CommitWithRetries(buffer);
            }
            finally
            {
                _queue.Committed();
            }
        }
    }

    /// <summary>Commits <paramref name="buffer"/>, retrying every 5 s until it works, the outage limit passes or the output is disposed.</summary>
    private void CommitWithRetries(RecordBuffer buffer)
    {
        buffer.LoadInto(_commit);
        var failures = 0;
        var since = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                var connection = _connection.Open(_commit);
                var history = new CommitLane(_historyConnection.Open(_commit), _history);
                var attributes = new CommitLane(_attributesConnection.Open(_commit), _attributes);
                _connection.EnsurePartitions(force: false);
                var rows = _commit.Commit(connection, history, attributes, buffer.Array, buffer.Length);
                Interlocked.Add(ref _routesCommitted, rows);
                Interlocked.Increment(ref _commits);
                if (failures > 0)
                {
                    Log.DatabaseRecovered(_logger, failures, Stopwatch.GetElapsedTime(since).TotalSeconds);
                }

                break;
            }
            catch (Exception e) when (PostgresWriterConnection.IsDatabaseFailure(e))
            {
                failures++;
                Log.DatabaseWriteFailed(_logger, e, buffer.Routes, failures, RetryDelay.TotalSeconds);
                _connection.Reset();
                _historyConnection.Reset();
                _attributesConnection.Reset();
                var outage = Stopwatch.GetElapsedTime(since);
                if (outage >= _settings.OutageExit)
                {
                    GiveUp(outage);
                    break;
                }

                lock (_wait)
                {
                    if (!_disposed)
                    {
                        var left = _settings.OutageExit - outage;
                        Monitor.Wait(_wait, left < RetryDelay ? left : RetryDelay);
                    }

                    if (_disposed)
                    {
                        Log.DatabaseRowsLost(_logger, _queue.Discard());
                        break;
                    }
                }
            }
        }

        _commit.Clear();
        _commit.NextBatch();
    }

    /// <summary>Where the commits' time went, per part: the part that never waits is the critical path.</summary>
    private void LogWriterTime()
    {
        var state = _commit.Timings;
        var history = _commit.HistoryTimings;
        Log.DatabaseWriterTime(
            _logger,
            Commits,
            RoutesCommitted,
            Math.Round(state.TotalSeconds, 2),
            Math.Round(state.Seconds(BatchStep.WaitHistory), 2),
            Math.Round(history.TotalSeconds, 2),
            Math.Round(history.Seconds(BatchStep.WaitAttributes), 2),
            Math.Round(_commit.AttributeTimings.TotalSeconds, 2));
    }

    /// <summary>The outage outlasted BMPMOND_DB_OUTAGE_EXIT: drop what is pending (the routers resend it) and tell the daemon.</summary>
    private void GiveUp(TimeSpan outage)
    {
        Volatile.Write(ref _gaveUp, 1);
        Log.DatabaseOutageExit(_logger, Math.Round(outage.TotalSeconds, 1), _settings.OutageExit.TotalSeconds, _queue.Discard());
        OutageLimitReached?.Invoke();
    }
}
