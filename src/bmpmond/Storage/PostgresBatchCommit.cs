using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using Bmpmon.Core.Storage;
using Bmpmon.Core.Wire.Primitives;
using Npgsql;
using NpgsqlTypes;

namespace Bmpmond.Storage;

/// <summary>
/// Turns the accumulated row buffer into one transaction: ids for new routers and peers first
/// (idempotent upserts, committed on their own), then in the transaction: new attribute sets
/// (COPY to a staging table, INSERT .. ON CONFLICT DO NOTHING), every route (COPY to staging,
/// INSERT into route_updates), and, in the order the router sent them, router and peer events
/// with the current-state upsert of the routes before each Peer Up, Peer Down and End-of-RIB, so
/// none of them overtakes the routes that came before it (a Peer Up starts a sync generation, an
/// End-of-RIB withdraws the routes of older ones). Quarantined messages go in with the events. IPAddress and friends are made here only.
/// </summary>
internal sealed class PostgresBatchCommit(string schema)
{
    /// <summary>2^20 ids (8 MiB): attribute sets known to be in the database already.</summary>
    private readonly RecentIdSet _written = new(20);
    private readonly List<ulong> _pendingIds = [];
    private readonly List<(PostgresRouterState State, int Offset, int Length)> _segments = [];
    private readonly string _upsertRoutes = PostgresSql.For(PostgresSql.UpsertRoutes, schema);
    private readonly string _withdrawPeer = PostgresSql.For(PostgresSql.WithdrawPeerRoutes, schema);
    private readonly string _insertAttributes = PostgresSql.For(PostgresSql.InsertAttributes, schema);
    private readonly string _insertRouteUpdates = PostgresSql.For(PostgresSql.InsertRouteUpdates, schema);

    public void AddSegment(PostgresRouterState state, int offset, int length)
    {
        if (_segments.Count > 0 && _segments[^1] is var last && last.State == state && last.Offset + last.Length == offset)
        {
            _segments[^1] = (state, last.Offset, last.Length + length);
            return;
        }

        _segments.Add((state, offset, length));
    }

    public void Clear() => _segments.Clear();

    /// <summary>A new connection: nothing to forget (the id cache holds committed ids only), kept for clarity.</summary>
    public void ConnectionChanged()
    {
    }

    /// <summary>Commits everything; returns the route rows written. Throws on any database failure (nothing committed then).</summary>
    public long Commit(NpgsqlConnection connection, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        EnsureIds(connection, bytes);
        _pendingIds.Clear();
        using var transaction = connection.BeginTransaction();
        CopyAttributes(connection, bytes);
        var routes = CopyRoutes(connection, bytes, buffer);
        if (routes > 0)
        {
            Execute(connection, PostgresSql.AnalyzeStaging);
            Execute(connection, _insertRouteUpdates);
        }

        ApplyEvents(connection, bytes, routes);
        transaction.Commit();
        foreach (var id in _pendingIds)
        {
            _written.CheckAndAdd(id);
        }

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
                switch (kind)
                {
                    case StorageRecordKind.Route:
                        RouteRecord.Read(ref c);
                        break;
                    case StorageRecordKind.Attributes:
                        AttributesRecord.Read(ref c);
                        break;
                    case StorageRecordKind.PeerDefinition:
                        var peer = EventRecord.Read(ref c, kind);
                        if (peer.Peer >= state.PeerIds.Count)
                        {
                            state.PeerIds.Add(UpsertPeer(connection, state.RouterId, peer));
                        }

                        break;
                    default:
                        EventRecord.Read(ref c, kind);
                        break;
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

    private void CopyAttributes(NpgsqlConnection connection, ReadOnlySpan<byte> bytes)
    {
        NpgsqlBinaryImporter? importer = null;
        try
        {
            foreach (var (_, offset, length) in _segments)
            {
                var c = new SpanCursor(bytes[..(offset + length)], offset);
                while (!c.AtEnd)
                {
                    var kind = (StorageRecordKind)c.U8();
                    if (kind == StorageRecordKind.Route)
                    {
                        RouteRecord.Read(ref c);
                        continue;
                    }

                    if (kind != StorageRecordKind.Attributes)
                    {
                        EventRecord.Read(ref c, kind);
                        continue;
                    }

                    var a = AttributesRecord.Read(ref c);
                    if (_written.Contains(a.Id))
                    {
                        continue;
                    }

                    importer ??= connection.BeginBinaryImport(PostgresSql.CopyAttributes);
                    _pendingIds.Add(a.Id);
                    WriteAttributes(importer, a, bytes);
                }
            }

            if (importer is not null)
            {
                importer.Complete();
                importer.Dispose();
                importer = null;
                Execute(connection, _insertAttributes);
            }
        }
        finally
        {
            importer?.Dispose();
        }
    }

    private static void WriteAttributes(NpgsqlBinaryImporter importer, in AttributesRecord a, ReadOnlySpan<byte> bytes)
    {
        importer.StartRow();
        importer.Write((long)a.Id, NpgsqlDbType.Bigint);
        WriteInet(importer, a.NextHop);
        WriteInet(importer, a.LinkLocal);
        if (a.Origin == byte.MaxValue)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write((short)a.Origin, NpgsqlDbType.Smallint);
        }

        if (a.AsPathCount < 0)
        {
            importer.WriteNull();
        }
        else
        {
            var path = new long[a.AsPathCount];
            for (var i = 0; i < path.Length; i++)
            {
                path[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(a.AsPathOffset + (i * 4))..]);
            }

            importer.Write(path, NpgsqlDbType.Array | NpgsqlDbType.Bigint);
        }

        WriteBigintList(importer, bytes.Slice(a.Communities.Offset, a.Communities.Length), 4);
        WriteBigintList(importer, bytes.Slice(a.Extended.Offset, a.Extended.Length), 8);
        WriteLargeCommunities(importer, bytes.Slice(a.Large.Offset, a.Large.Length));
        WriteOptional(importer, (a.Flags & StorageRowWriter.HasMed) != 0, a.Med);
        WriteOptional(importer, (a.Flags & StorageRowWriter.HasLocalPref) != 0, a.LocalPref);
        importer.Write((a.Flags & StorageRowWriter.AtomicAggregate) != 0, NpgsqlDbType.Boolean);
        var hasAggregator = (a.Flags & StorageRowWriter.HasAggregator) != 0;
        WriteOptional(importer, hasAggregator, a.AggregatorAs);
        WriteInet(importer, hasAggregator ? a.AggregatorAddress : default);
        WriteInet(importer, (a.Flags & StorageRowWriter.HasOriginatorId) != 0 ? IpAddr.FromV4(a.OriginatorId) : default);
        var clusters = bytes.Slice(a.ClusterList.Offset, a.ClusterList.Length);
        if (clusters.IsEmpty)
        {
            importer.WriteNull();
        }
        else
        {
            var list = new IPAddress[clusters.Length / 4];
            for (var i = 0; i < list.Length; i++)
            {
                list[i] = new IPAddress(clusters.Slice(i * 4, 4));
            }

            importer.Write(list, NpgsqlDbType.Array | NpgsqlDbType.Inet);
        }

        WriteBytea(importer, bytes.Slice(a.Other.Offset, a.Other.Length));
    }

    private long CopyRoutes(NpgsqlConnection connection, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        var seq = 0;
        NpgsqlBinaryImporter? importer = null;
        try
        {
            foreach (var (state, offset, length) in _segments)
            {
                var c = new SpanCursor(bytes[..(offset + length)], offset);
                while (!c.AtEnd)
                {
                    var kind = (StorageRecordKind)c.U8();
                    if (kind == StorageRecordKind.Attributes)
                    {
                        AttributesRecord.Read(ref c);
                        continue;
                    }

                    if (kind != StorageRecordKind.Route)
                    {
                        EventRecord.Read(ref c, kind);
                        continue;
                    }

                    var r = RouteRecord.Read(ref c);
                    importer ??= connection.BeginBinaryImport(PostgresSql.CopyRoutes);
                    WriteRoute(importer, seq++, state, r, bytes, buffer);
                }
            }

            importer?.Complete();
        }
        finally
        {
            importer?.Dispose();
        }

        return seq;
    }

    private static void WriteRoute(NpgsqlBinaryImporter importer, int seq, PostgresRouterState state, in RouteRecord r, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        var isEvpn = r.Is(StorageRowWriter.IsEvpn);
        importer.StartRow();
        importer.Write(seq, NpgsqlDbType.Integer);
        importer.Write(Time(r.Time), NpgsqlDbType.TimestampTz);
        importer.Write(Time(r.Arrival), NpgsqlDbType.TimestampTz);
        importer.Write(state.RouterId, NpgsqlDbType.Integer);
        importer.Write(state.PeerIds[r.Peer], NpgsqlDbType.Integer);
        importer.Write((short)r.Rib, NpgsqlDbType.Smallint);
        importer.Write((short)r.Afi, NpgsqlDbType.Smallint);
        importer.Write((short)r.Safi, NpgsqlDbType.Smallint);
        if (r.Is(StorageRowWriter.HasRd) || isEvpn)
        {
            importer.Write((long)r.Rd, NpgsqlDbType.Bigint);
        }
        else
        {
            importer.WriteNull();
        }

        if (r.Is(StorageRowWriter.HasPrefix))
        {
            importer.Write(new IPNetwork(r.Prefix.ToIPAddress(), r.PrefixLength), NpgsqlDbType.Cidr);
        }
        else
        {
            importer.WriteNull();
        }

        WriteOptional(importer, r.Is(StorageRowWriter.HasPathId), r.PathId);
        if (r.LabelCount == 0)
        {
            importer.WriteNull();
        }
        else
        {
            var labels = new int[Math.Min((int)r.LabelCount, 4)];
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = (int)(i switch { 0 => r.Label0, 1 => r.Label1, 2 => r.Label2, _ => r.Label3 });
            }

            importer.Write(labels, NpgsqlDbType.Array | NpgsqlDbType.Integer);
        }

        importer.Write(r.Is(StorageRowWriter.Withdrawn), NpgsqlDbType.Boolean);
        WriteOptional(importer, r.AttributesId != 0, (long)r.AttributesId);
        if (isEvpn)
        {
            importer.Write((short)r.EvpnType, NpgsqlDbType.Smallint);
            importer.Write(new ReadOnlyMemory<byte>(buffer, r.EsiOffset, 10), NpgsqlDbType.Bytea);
            importer.Write((long)r.EthernetTag, NpgsqlDbType.Bigint);
            if (r.HasMac)
            {
                importer.Write(new PhysicalAddress(bytes.Slice(r.MacOffset, 6).ToArray()), NpgsqlDbType.MacAddr);
            }
            else
            {
                importer.WriteNull();
            }

            WriteInet(importer, r.EvpnIp);
        }
        else
        {
            importer.WriteNull();
            importer.WriteNull();
            importer.WriteNull();
            importer.WriteNull();
            importer.WriteNull();
        }

        if (r.Raw.Length > 0)
        {
            importer.Write(new ReadOnlyMemory<byte>(buffer, r.Raw.Offset, r.Raw.Length), NpgsqlDbType.Bytea);
        }
        else
        {
            importer.WriteNull();
        }

        importer.Write(new ReadOnlyMemory<byte>(buffer, r.Key.Offset, r.Key.Length), NpgsqlDbType.Bytea);
    }

    /// <summary>Router and peer events in arrival order, the routes' current state upserted up to each Peer Down.</summary>
    private void ApplyEvents(NpgsqlConnection connection, ReadOnlySpan<byte> bytes, long routes)
    {
        var seq = 0;
        var upserted = 0;
        foreach (var (state, offset, length) in _segments)
        {
            var c = new SpanCursor(bytes[..(offset + length)], offset);
            while (!c.AtEnd)
            {
                var kind = (StorageRecordKind)c.U8();
                switch (kind)
                {
                    case StorageRecordKind.Route:
                        RouteRecord.Read(ref c);
                        seq++;
                        break;
                    case StorageRecordKind.Attributes:
                        AttributesRecord.Read(ref c);
                        break;
                    default:
                        var e = EventRecord.Read(ref c, kind);

                        // The routes before a Peer Up keep the old generation; those before a Peer
                        // Down or End-of-RIB must be in place before that peer's routes are withdrawn.
                        if (kind is (StorageRecordKind.PeerDown or StorageRecordKind.PeerUp or StorageRecordKind.EndOfRib) && seq > upserted)
                        {
                            UpsertRoutes(connection, upserted, seq);
                            upserted = seq;
                        }

                        ApplyEvent(connection, state, e, bytes);
                        break;
                }
            }
        }

        if (routes > upserted)
        {
            UpsertRoutes(connection, upserted, (int)routes);
        }
    }

    private void UpsertRoutes(NpgsqlConnection connection, int from, int to)
    {
        using var command = new NpgsqlCommand(_upsertRoutes, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = to });
        command.ExecuteNonQuery();
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

    private static DateTime Time(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10);

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static void WriteInet(NpgsqlBinaryImporter importer, IpAddr address)
    {
        if (address.HasValue)
        {
            importer.Write(address.ToIPAddress(), NpgsqlDbType.Inet);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static void WriteOptional(NpgsqlBinaryImporter importer, bool present, long value)
    {
        if (present)
        {
            importer.Write(value, NpgsqlDbType.Bigint);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static void WriteBytea(NpgsqlBinaryImporter importer, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value.ToArray(), NpgsqlDbType.Bytea);
        }
    }

    /// <summary>
    /// Communities (4 bytes each, unsigned) and extended communities (8 bytes each, kept as their
    /// signed 64-bit pattern) as bigint[]: one encoder for both widths.
    /// </summary>
    private static void WriteBigintList(NpgsqlBinaryImporter importer, ReadOnlySpan<byte> values, int size)
    {
        if (values.IsEmpty)
        {
            importer.WriteNull();
            return;
        }

        var list = new long[values.Length / size];
        for (var i = 0; i < list.Length; i++)
        {
            var value = values.Slice(i * size, size);
            list[i] = size == 4 ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadInt64BigEndian(value);
        }

        importer.Write(list, NpgsqlDbType.Array | NpgsqlDbType.Bigint);
    }

    private static void WriteLargeCommunities(NpgsqlBinaryImporter importer, ReadOnlySpan<byte> values)
    {
        if (values.IsEmpty)
        {
            importer.WriteNull();
            return;
        }

        var list = new string[values.Length / 12];
        for (var i = 0; i < list.Length; i++)
        {
            var v = values.Slice(i * 12, 12);
            list[i] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{BinaryPrimitives.ReadUInt32BigEndian(v)}:{BinaryPrimitives.ReadUInt32BigEndian(v[4..])}:{BinaryPrimitives.ReadUInt32BigEndian(v[8..])}");
        }

        importer.Write(list, NpgsqlDbType.Array | NpgsqlDbType.Text);
    }
}
