using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// The daemon's commit on two connections. One PostgreSQL backend is the ingest bottleneck when a
/// batch is written by one connection (README "Ingest performance"), so the batch is cut in two
/// halves that share no table: the history half (new attribute sets, route_updates) commits on a
/// second connection from <see cref="HistoryThread"/> while the database thread writes the state
/// half (routes, routers, peers, events, quarantine) on its own.
/// </summary>
/// <remarks>
/// The history half always commits first: a reader never sees a current route, a Peer Down or an
/// End-of-RIB before the route_updates rows that came before it, and never a route_updates row
/// whose attribute set is missing. Each half writes the batch's number into its own
/// <c>writer_progress</c> row in its transaction, so after any failure (including a COMMIT whose
/// acknowledgement was lost) the retry reads them and redoes only the halves that did not commit:
/// nothing lost, nothing twice.
/// </remarks>
internal sealed partial class PostgresBatchCommit
{
    private const string History = "history";
    private const string State = "state";

    private readonly Guid _writer = Guid.NewGuid();
    private long _batch = 1;
    private long _historyDone;
    private long _stateDone;
    private bool _registered;
    private bool _progressUnknown;

    /// <summary>Runs on the history thread right after its COMMIT returned (tests: an exception here is an acknowledgement lost).</summary>
    internal Action? AfterHistoryCommit { get; set; }

    /// <summary>Wall time of the history half's statements (its own thread), for the DB-side bench.</summary>
    public BatchTimings HistoryTimings { get; } = new();

    /// <summary>
    /// Commits the batch in two halves, the history half on <paramref name="history"/> through
    /// <paramref name="thread"/>, and returns the route rows. Throws on any database failure; the
    /// caller retries with the same bytes, and only what did not commit is written again.
    /// </summary>
    public long Commit(NpgsqlConnection connection, NpgsqlConnection history, HistoryThread thread, byte[] buffer, int length)
    {
        var bytes = buffer.AsSpan(0, length);
        Timings.Start();
        Register(connection);
        if (_progressUnknown)
        {
            ReadProgress(connection);
        }

        EnsureIds(connection, bytes);
        Timings.Mark(BatchStep.Ids);
        try
        {
            return CommitHalves(connection, history, thread, buffer, length);
        }
        catch (PostgresException e) when (IsFreshPeerConflict(e))
        {
            // The history half may have committed meanwhile: the progress says.
            ForgetFreshPeers();
            ReadProgress(connection);
            return CommitHalves(connection, history, thread, buffer, length);
        }
    }

    /// <summary>The batch is done with (committed, or dropped by a giving-up output): the next one gets the next number.</summary>
    public void NextBatch() => _batch++;

    /// <summary>
    /// As after a COMMIT whose acknowledgement was lost: what committed is known only to the
    /// database, and the next <see cref="Commit(NpgsqlConnection, NpgsqlConnection, HistoryThread, byte[], int)"/>
    /// reads it, unless <paramref name="readAgain"/> is false (a COMMIT that finished after the progress was read) (tests).
    /// </summary>
    internal void ForgetProgress(bool readAgain = true)
    {
        _historyDone = 0;
        _stateDone = 0;
        _progressUnknown = readAgain;
    }

    private long CommitHalves(NpgsqlConnection connection, NpgsqlConnection history, HistoryThread thread, byte[] buffer, int length)
    {
        var bytes = buffer.AsSpan(0, length);
        var batch = _batch;

        // Only a history half this attempt started is waited for: one a failed attempt committed (its
        // acknowledgement lost, writer_progress says so) is done, and its old error is not this attempt's.
        var historyStarted = _historyDone < batch;
        var historyRunning = false;
        try
        {
            if (historyStarted)
            {
                thread.Start(() => CommitHistory(history, buffer, length, batch));
                historyRunning = true;
            }

            long routes;
            using (var transaction = connection.BeginTransaction())
            {
                routes = CollectKeys(bytes, buffer);
                if (_stateDone < batch)
                {
                    ApplyEvents(connection, bytes, buffer);
                    Timings.Mark(BatchStep.Events);
                    SetProgress(connection, State, batch);
                }

                historyRunning = false;
                if (historyStarted)
                {
                    thread.Wait();
                }

                transaction.Commit();
            }

            _stateDone = batch;
            Timings.Mark(BatchStep.Commit);
            return routes;
        }
        catch
        {
            // The history half may still be running: it must end before the retry, and whether it committed must be known.
            if (historyRunning)
            {
                try
                {
                    thread.Wait();
                }
                catch (Exception)
                {
                    // The state half's failure is the one reported; the progress read says what the history half did.
                }
            }

            _progressUnknown = true;
            throw;
        }
    }

    /// <summary>The history thread: new attribute sets and route_updates in one transaction with the batch's progress row.</summary>
    private void CommitHistory(NpgsqlConnection history, byte[] buffer, int length, long batch)
    {
        var bytes = buffer.AsSpan(0, length);
        HistoryTimings.Start();
        _pendingIds.Clear();
        using (var transaction = history.BeginTransaction())
        {
            // The state half holds row locks while it waits for this one in the daemon, where
            // PostgreSQL's deadlock detector cannot see: a lock wait here (an import inserting the
            // same attribute set and upserting the same peer) fails instead, and the batch is retried.
            Execute(history, PostgresSql.HistoryLockTimeout);
            CopyAttributes(history, bytes, HistoryTimings);
            CopyRouteUpdates(history, bytes);
            HistoryTimings.Mark(BatchStep.CopyRouteUpdates);
            SetProgress(history, History, batch);
            transaction.Commit();
            AfterHistoryCommit?.Invoke();
        }

        HistoryTimings.Mark(BatchStep.Commit);
        _historyDone = batch;
        TransactionCommitted();
    }

    /// <summary>This writer's two progress rows, once; rows of writers gone for a week are dropped.</summary>
    private void Register(NpgsqlConnection connection)
    {
        if (_registered)
        {
            return;
        }

        Execute(connection, PostgresSql.For(PostgresSql.ForgetOldWriters, schema));
        using var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.RegisterWriter, schema), connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = _writer });
        command.ExecuteNonQuery();
        _registered = true;
    }

    private void ReadProgress(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.ReadProgress, schema), connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = _writer });
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (reader.GetString(0) == History)
                {
                    _historyDone = reader.GetInt64(1);
                }
                else
                {
                    _stateDone = reader.GetInt64(1);
                }
            }
        }

        _progressUnknown = false;
    }

    /// <summary>
    /// Records <paramref name="batch"/> for <paramref name="half"/> in its transaction. The row is
    /// locked until the transaction ends, so a failed attempt's COMMIT that is still finishing makes
    /// this wait, and then find the batch recorded: the half is written already, and this
    /// transaction must not commit it twice.
    /// </summary>
    private void SetProgress(NpgsqlConnection connection, string half, long batch)
    {
        using var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.SetProgress, schema), connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = _writer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = half });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = batch });
        if (command.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"writer_progress: batch {batch} of the {half} half is committed already (an earlier attempt's COMMIT finished late); reading the progress again");
        }
    }
}
