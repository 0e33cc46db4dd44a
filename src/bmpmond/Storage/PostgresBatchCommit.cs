using Bmpmon.Core.Storage;
using Bmpmon.Core.Wire.Primitives;
using Npgsql;
using NpgsqlTypes;

namespace Bmpmond.Storage;

/// <summary>
/// Turns the accumulated row buffer into one transaction: ids for new routers and peers first
/// (idempotent upserts, committed on their own), then in the transaction: new attribute sets
/// (COPY to a staging table, INSERT .. ON CONFLICT DO NOTHING; the daemon's own commit, in
/// PostgresBatchCommit.Parts.cs, COPYs them straight in while they are new), every route (COPY to staging,
/// INSERT into route_updates), and, in the order the router sent them, router and peer events
/// with the current-state upsert of the routes before each Peer Up, Peer Down and End-of-RIB, so
/// none of them overtakes the routes that came before it (a Peer Up starts a sync generation, an
/// End-of-RIB withdraws the routes of older ones). Quarantined messages go in with the events. IPAddress and friends are made here only, for event parameters: the COPY rows are encoded by <see cref="CopyBinaryWriter"/>.
/// </summary>
/// <param name="schema">The configured schema.</param>
/// <param name="freshPeers">
/// Insert the keys new to routes of peers only this writer writes for by COPY (<see cref="FreshPeerRoutes"/>).
/// The daemon does; <c>bmpmond import</c>, which commits inside a transaction of its own that a
/// wrong guess would abort, does not.
/// </param>
internal sealed partial class PostgresBatchCommit(string schema, bool freshPeers)
{
    /// <summary>2^20 ids (8 MiB): attribute sets known to be in the database already.</summary>
    private readonly RecentIdSet _written = new(20);
    /// <summary>
    /// Attribute sets written in the open transaction(s), known to be stored once they commit: a set
    /// sent twice (two routers, or two batches of one import transaction) is written once.
    /// </summary>
    private readonly HashSet<ulong> _pendingIds = [];

    /// <summary>The sets <see cref="CopyAttributes"/> writes: id and record offset, to be sorted by id.</summary>
    private readonly List<(ulong Id, int Record)> _newSets = [];
    private readonly RecordSegments _segments = new();
    private readonly string _upsertRoutes = PostgresSql.For(PostgresSql.UpsertRoutes, schema);
    private readonly string _withdrawPeer = PostgresSql.For(PostgresSql.WithdrawPeerRoutes, schema);
    private readonly string _insertAttributes = PostgresSql.For(PostgresSql.InsertAttributes, schema);
    private readonly string _copyAttributesDirect = PostgresSql.For(PostgresSql.CopyAttributesDirect, schema);
    private readonly string _copyRouteUpdates = PostgresSql.For(PostgresSql.CopyRouteUpdates, schema);
    private readonly string _copyNewRoutes = PostgresSql.For(PostgresSql.CopyNewRoutes, schema);
    private readonly RouteStateBatch _keys = new();
    private readonly FreshPeerRoutes _fresh = new();
    private readonly Dictionary<int, int> _generations = [];

    /// <summary>Per key of the part being upserted: its row went in by COPY (<see cref="CopyNewRoutes"/>).</summary>
    private bool[] _inserted = new bool[1024];

    /// <summary>The sessions the next commit's bytes came from (<see cref="RecordBuffer"/> or a caller's own bytes).</summary>
    public RecordSegments Segments => _segments;

    public void AddSegment(PostgresRouterState state, int offset, int length) => _segments.Add(state, offset, length);

    public void Clear() => _segments.Clear();

    /// <summary>
    /// The events before which the routes' current state must be upserted: a Peer Up starts a new
    /// resync generation (earlier routes keep the old one), a Peer Down or End-of-RIB withdraws
    /// what came before. <see cref="CollectKeys"/> cuts the batch's parts and
    /// <see cref="ApplyEvents"/> upserts them at the same events.
    /// </summary>
    private static bool EndsRoutePart(StorageRecordKind kind) =>
        kind is StorageRecordKind.PeerDown or StorageRecordKind.PeerUp or StorageRecordKind.EndOfRib;

    /// <summary>Wall time per statement kind over all commits (the DB-side bench reads it).</summary>
    public BatchTimings Timings { get; } = new();

    /// <summary>Commits redone through the upsert because a key of a fresh peer was in routes already.</summary>
    public int FreshPeerConflicts { get; private set; }

    /// <summary>Rows of keys new to routes inserted by COPY rather than the upsert, committed or not.</summary>
    public long NewRoutesCopied { get; private set; }

    /// <summary>A new connection: nothing to forget (the id cache holds committed ids only), kept for clarity.</summary>
    public void ConnectionChanged()
    {
    }

    /// <summary>Commits everything; returns the route rows written. Throws on any database failure (nothing committed then).</summary>
    public long Commit(NpgsqlConnection connection, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        Timings.Start();
        EnsureIds(connection, bytes);
        Timings.Mark(BatchStep.Ids);
        try
        {
            return CommitRows(connection, bytes, buffer);
        }
        catch (PostgresException e) when (IsFreshPeerConflict(e))
        {
            ForgetFreshPeers();
            return CommitRows(connection, bytes, buffer);
        }
    }

    /// <summary>
    /// Someone else inserted a key of a peer taken for fresh (an import of the same router, a second
    /// collector): the COPY failed on routes' primary key, and nothing of the state is committed.
    /// </summary>
    private bool IsFreshPeerConflict(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.TableName == "routes" && _fresh.Any;

    /// <summary>After <see cref="IsFreshPeerConflict"/>: every key goes through the upsert from now on.</summary>
    private void ForgetFreshPeers()
    {
        _fresh.ForgetAll();
        FreshPeerConflicts++;
    }

    private long CommitRows(NpgsqlConnection connection, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        _pendingIds.Clear();
        using var transaction = connection.BeginTransaction();
        var routes = WriteRows(connection, bytes, buffer);
        transaction.Commit();
        Timings.Mark(BatchStep.Commit);
        TransactionCommitted();
        return routes;
    }

    /// <summary>
    /// The same work inside a transaction the caller has begun on <paramref name="connection"/>
    /// (<c>bmpmond import</c>: a file's rows and its ledger row commit together): router and peer
    /// ids are upserted in it too (their states must be dropped if it rolls back), and the staging
    /// tables are emptied after, so the caller can commit several batches in one transaction. The
    /// caller then calls <see cref="TransactionCommitted"/> or <see cref="TransactionRolledBack"/>.
    /// </summary>
    public long CommitWithin(NpgsqlConnection connection, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        EnsureIds(connection, bytes);
        var routes = WriteRows(connection, bytes, buffer);
        Execute(connection, PostgresSql.ClearStaging);
        return routes;
    }

    /// <summary>The transaction is committed: the attribute sets it wrote are known to be in the database from now on.</summary>
    public void TransactionCommitted()
    {
        foreach (var id in _pendingIds)
        {
            _written.CheckAndAdd(id);
        }

        _pendingIds.Clear();
    }

    /// <summary>The caller's transaction rolled back: the attribute sets it wrote are not in the database.</summary>
    public void TransactionRolledBack() => _pendingIds.Clear();

    private long WriteRows(NpgsqlConnection connection, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        CopyAttributes(connection, bytes, Timings, direct: false);
        var routes = CopyRouteUpdates(connection, bytes);
        Timings.Mark(BatchStep.CopyRouteUpdates);
        CollectKeys(bytes, buffer);
        ApplyEvents(connection, bytes, buffer);
        Timings.Mark(BatchStep.Events);
        return routes;
    }

    private void EnsureIds(NpgsqlConnection connection, ReadOnlySpan<byte> bytes)
    {
        foreach (var (state, offset, length) in _segments)
        {
            if (state.RouterId == 0)
            {
                using var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.UpsertRouter, schema), connection);
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Inet, Value = state.Address });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Environment.MachineName });
                state.RouterId = (int)command.ExecuteScalar()!;
            }

            var c = new SpanCursor(bytes[..(offset + length)], offset);
            while (!c.AtEnd)
            {
                var kind = (StorageRecordKind)c.U8();
                if (kind != StorageRecordKind.PeerDefinition)
                {
                    StorageRecords.Skip(ref c, kind);
                    continue;
                }

                var peer = EventRecord.Read(ref c, kind);
                if (peer.Peer >= state.PeerIds.Count)
                {
                    var peerId = UpsertPeer(connection, state.RouterId, peer);
                    state.PeerIds.Add(peerId);
                    if (freshPeers)
                    {
                        _fresh.PeerResolved(peerId, PeerHasRoutes(connection, peerId));
                    }
                }
            }
        }
    }

    private int UpsertPeer(NpgsqlConnection connection, int routerId, EventRecord peer)
    {
        using var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.UpsertPeer, schema), connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = routerId });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = peer.PeerType });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)peer.Distinguisher });
        command.Parameters.Add(Inet(peer.Address));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = peer.Asn });
        command.Parameters.Add(Inet(IpAddr.FromV4(peer.BgpId)));
        return (int)command.ExecuteScalar()!;
    }

    private bool PeerHasRoutes(NpgsqlConnection connection, int peerId)
    {
        using var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.PeerHasRoutes, schema), connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = peerId });
        return (bool)command.ExecuteScalar()!;
    }

    /// <summary>
    /// The batch's attribute sets not known to be stored, each once and in id order (as the staged
    /// INSERT's ORDER BY gives them: random order costs path_attributes' indexes more): straight into
    /// path_attributes (<paramref name="direct"/>, which fails on a set stored already), or staged
    /// and inserted with ON CONFLICT DO NOTHING.
    /// </summary>
    /// <returns>The sets written, and of those staged how many were in path_attributes already.</returns>
    private (int Written, long Existing) CopyAttributes(NpgsqlConnection connection, ReadOnlySpan<byte> bytes, BatchTimings timings, bool direct)
    {
        _newSets.Clear();
        foreach (var (_, offset, length) in _segments)
        {
            var c = new SpanCursor(bytes[..(offset + length)], offset);
            while (!c.AtEnd)
            {
                var kind = (StorageRecordKind)c.U8();
                if (kind != StorageRecordKind.Attributes)
                {
                    StorageRecords.Skip(ref c, kind);
                    continue;
                }

                var record = c.Position;
                var id = AttributesRecord.Read(ref c).Id;
                if (!_written.Contains(id) && _pendingIds.Add(id))
                {
                    _newSets.Add((id, record));
                }
            }
        }

        if (_newSets.Count == 0)
        {
            return (0, 0);
        }

        _newSets.Sort();
        using (var importer = CopyBinaryWriter.Begin(connection, direct ? _copyAttributesDirect : PostgresSql.CopyAttributes, AttributeCopyWriter.Columns))
        {
            foreach (var (_, record) in _newSets)
            {
                var c = new SpanCursor(bytes, record);
                AttributeCopyWriter.Write(importer, AttributesRecord.Read(ref c), bytes);
            }

            importer.Complete();
        }

        timings.Mark(BatchStep.CopyAttributes);
        if (direct)
        {
            return (_newSets.Count, 0);
        }

        using var insert = new NpgsqlCommand(_insertAttributes, connection);
        long inserted = insert.ExecuteNonQuery();
        timings.Mark(BatchStep.InsertAttributes);
        return (_newSets.Count, _newSets.Count - inserted);
    }

    /// <summary>Every route row straight into route_updates (seq from the column default, in this order).</summary>
    /// <returns>The rows written.</returns>
    private long CopyRouteUpdates(NpgsqlConnection connection, ReadOnlySpan<byte> bytes)
    {
        long routes = 0;
        CopyBinaryWriter? importer = null;
        try
        {
            foreach (var (state, offset, length) in _segments)
            {
                var c = new SpanCursor(bytes[..(offset + length)], offset);
                while (!c.AtEnd)
                {
                    var kind = (StorageRecordKind)c.U8();
                    if (kind != StorageRecordKind.Route)
                    {
                        StorageRecords.Skip(ref c, kind);
                        continue;
                    }

                    var r = RouteRecord.Read(ref c);
                    importer ??= CopyBinaryWriter.Begin(connection, _copyRouteUpdates, RouteCopyWriter.RouteUpdateColumns);
                    RouteCopyWriter.WriteRouteUpdate(importer, state, r, bytes);
                    routes++;
                }
            }

            importer?.Complete();
        }
        finally
        {
            importer?.Dispose();
        }

        return routes;
    }

    /// <summary>Every route row into <see cref="RouteStateBatch"/>, cut into parts at the Peer Ups, Peer Downs and End-of-RIBs.</summary>
    /// <returns>The route rows.</returns>
    private long CollectKeys(ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        long routes = 0;
        _keys.Reset(buffer);
        foreach (var (state, offset, length) in _segments)
        {
            var c = new SpanCursor(bytes[..(offset + length)], offset);
            while (!c.AtEnd)
            {
                var kind = (StorageRecordKind)c.U8();
                if (kind != StorageRecordKind.Route)
                {
                    StorageRecords.Skip(ref c, kind);
                    if (EndsRoutePart(kind))
                    {
                        _keys.EndPart();
                    }

                    continue;
                }

                var record = c.Position;
                var r = RouteRecord.Read(ref c);
                _keys.Add(state.RouterId, state.PeerIds[r.Peer], r, record);
                routes++;
            }
        }

        _keys.EndPart();
        return routes;
    }

    /// <summary>Router and peer events in arrival order, the routes' current state upserted up to each Peer Up, Peer Down and End-of-RIB.</summary>
    private void ApplyEvents(NpgsqlConnection connection, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        var part = 0;
        var pending = false;
        foreach (var (state, offset, length) in _segments)
        {
            var c = new SpanCursor(bytes[..(offset + length)], offset);
            while (!c.AtEnd)
            {
                var kind = (StorageRecordKind)c.U8();
                switch (kind)
                {
                    case StorageRecordKind.Route:
                        RouteRecord.Skip(ref c);
                        pending = true;
                        break;
                    case StorageRecordKind.Attributes:
                        AttributesRecord.Read(ref c);
                        break;
                    default:
                        var e = EventRecord.Read(ref c, kind);
                        if (EndsRoutePart(kind) && pending)
                        {
                            UpsertRoutes(connection, part++, bytes, buffer);
                            pending = false;
                        }

                        ApplyEvent(connection, state, e, bytes);
                        break;
                }
            }
        }

        if (pending)
        {
            UpsertRoutes(connection, part, bytes, buffer);
        }
    }

    /// <summary>One part's keys new to routes by COPY, the others into routes_stage, then the set-based upsert.</summary>
    private void UpsertRoutes(NpgsqlConnection connection, int part, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        Timings.Mark(BatchStep.Events);
        var keys = _keys.Part(part);
        var inserted = CopyNewRoutes(connection, keys, bytes, buffer);
        if (inserted == keys.Length)
        {
            return;
        }

        if (part > 0)
        {
            Execute(connection, PostgresSql.ClearRouteState);
        }

        using (var importer = CopyBinaryWriter.Begin(connection, PostgresSql.CopyRouteState, RouteCopyWriter.RouteStateColumns))
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (inserted > 0 && _inserted[i])
                {
                    continue;
                }

                ref readonly var k = ref keys[i];
                var c = new SpanCursor(bytes, k.Record);
                RouteCopyWriter.WriteRouteState(importer, k, RouteRecord.Read(ref c), bytes);
            }

            importer.Complete();
        }

        Timings.Mark(BatchStep.CopyRouteState);
        Execute(connection, _upsertRoutes);
        Timings.Mark(BatchStep.UpsertRoutes);
    }

    /// <summary>
    /// The part's keys that <see cref="FreshPeerRoutes"/> vouches are not in routes, inserted by
    /// COPY with their peer's generation as this transaction sees it, and marked in <see cref="_inserted"/>.
    /// </summary>
    /// <returns>How many keys went in.</returns>
    private int CopyNewRoutes(NpgsqlConnection connection, ReadOnlySpan<RouteStateBatch.KeyState> keys, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        if (!_fresh.Any)
        {
            return 0;
        }

        if (_inserted.Length < keys.Length)
        {
            _inserted = new bool[Math.Max(keys.Length, _inserted.Length * 2)];
        }

        var inserted = 0;
        _generations.Clear();
        for (var i = 0; i < keys.Length; i++)
        {
            ref readonly var k = ref keys[i];
            var c = new SpanCursor(bytes, k.Record);
            var key = RouteRecord.Read(ref c).Key;
            _inserted[i] = _fresh.TryClaim(k.PeerId, bytes.Slice(key.Offset, key.Length));
            if (_inserted[i])
            {
                inserted++;
                _generations.TryAdd(k.PeerId, 0);
            }
        }

        if (inserted == 0)
        {
            return 0;
        }

        ReadGenerations(connection);
        using (var importer = CopyBinaryWriter.Begin(connection, _copyNewRoutes, RouteCopyWriter.NewRouteColumns))
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (_inserted[i])
                {
                    ref readonly var k = ref keys[i];
                    var c = new SpanCursor(bytes, k.Record);
                    RouteCopyWriter.WriteNewRoute(importer, k, RouteRecord.Read(ref c), bytes, _generations[k.PeerId]);
                }
            }

            importer.Complete();
        }

        Timings.Mark(BatchStep.CopyNewRoutes);
        NewRoutesCopied += inserted;
        return inserted;
    }

    private void ReadGenerations(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(PostgresSql.For(PostgresSql.PeerGenerations, schema), connection);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. _generations.Keys] });
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            _generations[reader.GetInt32(0)] = reader.GetInt32(1);
        }
    }

    private void ApplyEvent(NpgsqlConnection connection, PostgresRouterState state, EventRecord e, ReadOnlySpan<byte> bytes)
    {
        switch (e.Kind)
        {
            case StorageRecordKind.Initiation:
                Run(PostgresSql.RouterInitiation, state.RouterId, Text(e.Text1), Text(e.Text2), Timestamp(e.Time));
                break;
            case StorageRecordKind.Termination:
                Run(PostgresSql.RouterTermination, state.RouterId, Timestamp(e.Time));
                break;
            case StorageRecordKind.PeerUp:
                var peerUp = state.PeerIds[e.Peer];
                Run(PostgresSql.PeerUp, peerUp, Timestamp(e.Time), Inet(e.Address), new NpgsqlParameter<int> { TypedValue = e.LocalPort },
                    new NpgsqlParameter<int> { TypedValue = e.RemotePort }, new NpgsqlParameter<bool> { TypedValue = e.Flag }, Text(e.Text1), Text(e.Text2), Text(e.Text3));
                Run(PostgresSql.PeerEvent, Timestamp(e.Time), Timestamp(e.Arrival), new NpgsqlParameter<int> { TypedValue = state.RouterId }, new NpgsqlParameter<int> { TypedValue = peerUp },
                    Text("peer_up"), Null(NpgsqlDbType.Smallint), Text(null), Null(NpgsqlDbType.Smallint), Null(NpgsqlDbType.Smallint), Text(null), Null(NpgsqlDbType.Integer));
                Run(PostgresSyncSql.StartSync, peerUp, Timestamp(e.Time), Timestamp(e.Arrival));
                break;
            case StorageRecordKind.EndOfRib:
                Run(PostgresSyncSql.EndOfRib, state.PeerIds[e.Peer], Small(e.Rib), Small(e.Afi), Small(e.Safi), Timestamp(e.Time), Timestamp(e.Arrival));
                break;
            case StorageRecordKind.Quarantine:
                Run(PostgresSyncSql.Quarantine, Timestamp(e.Time), state.RouterId, Text(state.Name), Text(e.Text2), new NpgsqlParameter<long> { TypedValue = e.StreamOffset },
                    new NpgsqlParameter<byte[]> { TypedValue = bytes.Slice(e.Raw.Offset, e.Raw.Length).ToArray() }, Text(e.Text1), new NpgsqlParameter<int> { TypedValue = e.ErrorOffset });
                break;
            case StorageRecordKind.PeerDown:
                var peerDown = state.PeerIds[e.Peer];

                // Its rows stay (withdrawn) and its next table refreshes them: no need to remember its keys.
                _fresh.Forget(peerDown);
                Run(PostgresSql.PeerDown, peerDown, Timestamp(e.Time), new NpgsqlParameter<short> { TypedValue = e.Reason }, Text(e.Text1));
                Run(PostgresSql.WithdrawPeerRoutes, peerDown, Timestamp(e.Time));
                Run(PostgresSql.PeerEvent, Timestamp(e.Time), Timestamp(e.Arrival), new NpgsqlParameter<int> { TypedValue = state.RouterId }, new NpgsqlParameter<int> { TypedValue = peerDown },
                    Text("peer_down"), new NpgsqlParameter<short> { TypedValue = e.Reason }, Text(e.Text1),
                    e.HasNotification ? new NpgsqlParameter<short> { TypedValue = e.Code } : Null(NpgsqlDbType.Smallint),
                    e.HasNotification ? new NpgsqlParameter<short> { TypedValue = e.Subcode } : Null(NpgsqlDbType.Smallint),
                    Text(e.Text2),
                    e.HasFsm ? new NpgsqlParameter<int> { TypedValue = e.Fsm } : Null(NpgsqlDbType.Integer));
                break;
        }

        void Run(string sql, params object[] parameters)
        {
            using var command = new NpgsqlCommand(PostgresSql.For(sql, schema), connection);
            foreach (var p in parameters)
            {
                command.Parameters.Add(p is int id ? new NpgsqlParameter<int> { TypedValue = id } : (NpgsqlParameter)p);
            }

            command.ExecuteNonQuery();
        }
    }

    private static NpgsqlParameter Timestamp(long micros) => new NpgsqlParameter<DateTime> { TypedValue = Time(micros), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Small(int value) => new NpgsqlParameter<short> { TypedValue = (short)value };

    private static NpgsqlParameter Text(string? text) => text is null ? Null(NpgsqlDbType.Text) : new NpgsqlParameter<string> { TypedValue = text };

    private static NpgsqlParameter Null(NpgsqlDbType type) => new() { NpgsqlDbType = type, Value = DBNull.Value };

    private static NpgsqlParameter Inet(IpAddr address) =>
        address.HasValue ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Inet, Value = address.ToIPAddress() } : Null(NpgsqlDbType.Inet);

    private static DateTime Time(long micros) => RouteCopyWriter.Time(micros);

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
