using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// The daemon's commit on three connections. One PostgreSQL backend is the ingest bottleneck when
/// a batch is written by one connection (README "Ingest performance"), so the batch is cut in
/// parts that share no table, each committed by its own backend at the same time: the new
/// attribute sets (path_attributes, with its GIN index), the history (route_updates), each from a
/// <see cref="CommitThread"/> of its own, and the state (routes, routers, peers, events,
/// quarantine) on the database thread.
/// </summary>
/// <remarks>
/// The parts commit in that order: a reader never sees a route_updates row whose attribute set is
/// missing, nor a current route, a Peer Down or an End-of-RIB before the route_updates rows that
/// came before it. The history and the state write the batch's number into their own
/// <c>writer_progress</c> row in their transaction, so after any failure (including a COMMIT whose
/// acknowledgement was lost) the retry reads them and redoes only the parts that did not commit:
/// nothing lost, nothing twice. The attribute sets need no such row: they are inserted with
/// ON CONFLICT DO NOTHING, and they are written again whenever the history is.
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

    /// <summary>Whether the next batch's new attribute sets go straight into path_attributes (see <see cref="CommitAttributes"/>).</summary>
    internal bool AttributesDirect { get; private set; } = true;

    /// <summary>Batches whose direct COPY of attribute sets met a set stored already and went through the staged insert.</summary>
    public int DirectAttributeConflicts { get; private set; }

    /// <summary>Runs on the history thread right after its COMMIT returned (tests: an exception here is an acknowledgement lost).</summary>
    internal Action? AfterHistoryCommit { get; set; }

    /// <summary>Wall time of the history's statements (its own thread), logged at shutdown.</summary>
    public BatchTimings HistoryTimings { get; } = new();

    /// <summary>Wall time of the attribute sets' statements (their own thread), logged at shutdown.</summary>
    public BatchTimings AttributeTimings { get; } = new();

    /// <summary>
    /// Commits the batch in three parts, the history on <paramref name="history"/> and the new
    /// attribute sets on <paramref name="attributes"/>, and returns the route rows. Throws on any
    /// database failure; the caller retries with the same bytes, and only what did not commit is
    /// written again.
    /// </summary>
    public long Commit(NpgsqlConnection connection, CommitLane history, CommitLane attributes, byte[] buffer, int length)
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
            return CommitParts(connection, history, attributes, buffer, length);
        }
        catch (PostgresException e) when (IsFreshPeerConflict(e))
        {
            // The history may have committed meanwhile: the progress says.
            ForgetFreshPeers();
            ReadProgress(connection);
            return CommitParts(connection, history, attributes, buffer, length);
        }
    }

    /// <summary>The batch is done with (committed, or dropped by a giving-up output): the next one gets the next number.</summary>
    public void NextBatch() => _batch++;

    /// <summary>
    /// As after a COMMIT whose acknowledgement was lost: what committed is known only to the
    /// database, and the next <see cref="Commit(NpgsqlConnection, CommitLane, CommitLane, byte[], int)"/>
    /// reads it, unless <paramref name="readAgain"/> is false (a COMMIT that finished after the progress was read) (tests).
    /// </summary>
    internal void ForgetProgress(bool readAgain = true)
    {
        _historyDone = 0;
        _stateDone = 0;
        _progressUnknown = readAgain;
    }

    private long CommitParts(NpgsqlConnection connection, CommitLane history, CommitLane attributes, byte[] buffer, int length)
    {
        var bytes = buffer.AsSpan(0, length);
        var batch = _batch;

        // Only a history this attempt started is waited for: one a failed attempt committed (its
        // acknowledgement lost, writer_progress says so) is done, and its old error is not this attempt's.
        var historyStarted = _historyDone < batch;
        var historyRunning = false;
        var thread = history.Thread;
        try
        {
            if (historyStarted)
            {
                attributes.Thread.Start(() => CommitAttributes(attributes.Connection, buffer, length));
                try
                {
                    thread.Start(() => CommitHistory(history.Connection, attributes.Thread, buffer, length, batch));
                }
                catch
                {
                    // No history to wait for it (the thread is stopping): the attribute sets must end before anything else starts them.
                    WaitQuietly(attributes.Thread);
                    throw;
                }

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

                Timings.Mark(BatchStep.WaitHistory);

                transaction.Commit();
            }

            _stateDone = batch;
            Timings.Mark(BatchStep.Commit);
            return routes;
        }
        catch
        {
            // The history may still be running: it must end before the retry, and whether it committed must be known.
            if (historyRunning)
            {
                WaitQuietly(thread);
            }

            _progressUnknown = true;
            throw;
        }
    }

    /// <summary>
    /// The attribute thread: the batch's attribute sets not known to be stored, in a transaction of
    /// their own; from its COMMIT on they are known to be stored. While new sets are all new to the
    /// database (a fresh table), they are COPYed straight into path_attributes: staging them and
    /// inserting with ON CONFLICT DO NOTHING costs PostgreSQL about a third more per set (README
    /// "Latest"). A set stored already (by another writer, or one this writer no longer remembers,
    /// after a restart) fails that COPY: the transaction is rolled back and the sets go through the
    /// staged insert, until a staged batch finds none of its sets stored.
    /// </summary>
    private void CommitAttributes(NpgsqlConnection attributes, byte[] buffer, int length)
    {
        AttributeTimings.Start();
        _pendingIds.Clear();
        if (!AttributesDirect || !TryCommitAttributes(attributes, buffer, length, direct: true))
        {
            TryCommitAttributes(attributes, buffer, length, direct: false);
        }

        AttributeTimings.Mark(BatchStep.Commit);
        TransactionCommitted();
    }

    /// <summary>One attempt; false when <paramref name="direct"/> met a set stored already (nothing committed then).</summary>
    private bool TryCommitAttributes(NpgsqlConnection attributes, byte[] buffer, int length, bool direct)
    {
        try
        {
            using var transaction = attributes.BeginTransaction();

            // As for the history below: a lock wait here (an import inserting the same set) fails instead.
            Execute(attributes, PostgresSql.PartLockTimeout);
            var (written, existing) = CopyAttributes(attributes, buffer.AsSpan(0, length), AttributeTimings, direct);
            transaction.Commit();
            if (!direct && written > 0)
            {
                AttributesDirect = existing == 0;
            }

            return true;
        }
        catch (PostgresException e) when (direct && e.SqlState == PostgresErrorCodes.UniqueViolation && e.TableName == "path_attributes")
        {
            AttributesDirect = false;
            _pendingIds.Clear();
            DirectAttributeConflicts++;
            return false;
        }
    }

    /// <summary>
    /// The history thread: route_updates in one transaction with the batch's progress row, committed
    /// once the attribute sets have (<paramref name="attributes"/>, which always ends before this does).
    /// </summary>
    private void CommitHistory(NpgsqlConnection history, CommitThread attributes, byte[] buffer, int length, long batch)
    {
        var bytes = buffer.AsSpan(0, length);
        HistoryTimings.Start();
        var attributesWaited = false;
        try
        {
            using (var transaction = history.BeginTransaction())
            {
                // The state holds row locks while it waits for this part in the daemon, where
                // PostgreSQL's deadlock detector cannot see: a lock wait here (an import upserting
                // the same peer) fails instead, and the batch is retried.
                Execute(history, PostgresSql.PartLockTimeout);
                CopyRouteUpdates(history, bytes);
                HistoryTimings.Mark(BatchStep.CopyRouteUpdates);
                SetProgress(history, History, batch);
                attributesWaited = true;
                attributes.Wait();
                HistoryTimings.Mark(BatchStep.WaitAttributes);
                transaction.Commit();
                AfterHistoryCommit?.Invoke();
            }

            HistoryTimings.Mark(BatchStep.Commit);
            _historyDone = batch;
        }
        finally
        {
            if (!attributesWaited)
            {
                // This part failed first: the attribute sets must be done before the retry starts them again.
                WaitQuietly(attributes);
            }
        }
    }

    /// <summary>Waits for a part whose failure is not the one reported (the caller's own is).</summary>
    private static void WaitQuietly(CommitThread thread)
    {
        try
        {
            thread.Wait();
        }
        catch (Exception)
        {
            // Whatever it did is read back (the progress) or redone (the attribute sets) by the retry.
        }
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
