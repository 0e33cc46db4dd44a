using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using Bmpmon.Core.Wire.Primitives;
using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// One <c>COPY .. FROM STDIN (FORMAT BINARY)</c> written by hand: PostgreSQL's binary copy format
/// (the COPY reference, "Binary Format") encoded into a pooled buffer and streamed through Npgsql's
/// raw copy stream. It replaces <c>NpgsqlBinaryImporter</c> on the writer's hot path, which cost
/// ~3.3 µs of client CPU and ~250 B of garbage per route row under AOT (IPAddress, IPNetwork,
/// PhysicalAddress and array objects, boxed values; shared/notes/pg-ingest.md): here a row is a
/// few big-endian stores and allocates nothing.
/// </summary>
/// <remarks>
/// Same protocol as the importer: <see cref="StartRow"/>, one write per column in the COPY
/// statement's order, <see cref="Complete"/>; <see cref="Dispose"/> without <see cref="Complete"/>
/// sends CopyFail, so nothing of the COPY is kept. A row with the wrong number of columns is a bug
/// and throws before it is sent. Values are written in each type's binary send format
/// (src/backend/utils/adt/*.c, <c>*_recv</c>): the server checks them as it does for any client.
/// </remarks>
internal sealed class CopyBinaryWriter : IDisposable
{
    /// <summary>What Npgsql's write buffer is set to (<see cref="PostgresDatabase"/>): one flush fills one of its buffers.</summary>
    private const int BufferSize = 64 * 1024;

    /// <summary>PostgreSQL's epoch for timestamps (2000-01-01 UTC) in Unix microseconds.</summary>
    private const long PostgresEpochMicros = 946_684_800_000_000;

    /// <summary>Element type OIDs (pg_type.dat) that <c>array_recv</c> checks against the column's.</summary>
    public const int Int4Oid = 23, Int8Oid = 20, TextOid = 25, InetOid = 869;

    /// <summary><c>PGSQL_AF_INET</c> and <c>PGSQL_AF_INET6</c> (utils/inet.h): not the host's AF_* values.</summary>
    private const byte FamilyInet = 2, FamilyInet6 = 3;

    /// <summary>Signature "PGCOPY\n\377\r\n\0", flags (bit 16: OIDs, none) and header extension length.</summary>
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly short _columns;
    private NpgsqlRawCopyStream? _stream;
    private byte[] _buffer;
    private int _position;

    /// <summary>Columns written in the current row; -1 before the first.</summary>
    private int _written = -1;

    /// <summary>Where the open array's length word is (kept in the buffer until <see cref="EndArray"/>); -1 when none.</summary>
    private int _arrayStart = -1;
    private int _arrayCount;

    private CopyBinaryWriter(NpgsqlRawCopyStream stream, short columns)
    {
        _stream = stream;
        _columns = columns;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        Header.CopyTo(_buffer);
        _position = Header.Length;
    }

    /// <summary>Starts <paramref name="copy"/> (a <c>COPY .. FROM STDIN (FORMAT BINARY)</c> naming <paramref name="columns"/> columns).</summary>
    public static CopyBinaryWriter Begin(NpgsqlConnection connection, string copy, short columns) => new(connection.BeginRawBinaryCopy(copy), columns);

    public void StartRow()
    {
        CheckRowComplete();
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_position), _columns);
        _position += 2;
        _written = 0;
    }

    public void WriteNull() => Length(-1);

    public void WriteInt16(short value)
    {
        Length(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_position), value);
        _position += 2;
    }

    public void WriteInt32(int value)
    {
        Length(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void WriteInt64(long value)
    {
        Length(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>A bigint, or NULL unless <paramref name="present"/>.</summary>
    public void WriteInt64(bool present, long value)
    {
        if (present)
        {
            WriteInt64(value);
        }
        else
        {
            WriteNull();
        }
    }

    public void WriteBool(bool value)
    {
        Length(1);
        _buffer[_position++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>A timestamptz from microseconds since the Unix epoch (UTC): int64 microseconds since 2000-01-01 on the wire.</summary>
    public void WriteTimestamp(long unixMicros) => WriteInt64(unixMicros - PostgresEpochMicros);

    /// <summary>A timestamptz, or NULL for <see cref="long.MinValue"/> (the record buffers' "none").</summary>
    public void WriteOptionalTimestamp(long unixMicros)
    {
        if (unixMicros == long.MinValue)
        {
            WriteNull();
        }
        else
        {
            WriteTimestamp(unixMicros);
        }
    }

    /// <summary>An inet holding one address (full mask), or NULL when there is none.</summary>
    public void WriteInet(IpAddr address)
    {
        if (!address.HasValue)
        {
            WriteNull();
            return;
        }

        Length(InetLength(address));
        WriteNetwork(address, (byte)address.BitLength, isCidr: false);
    }

    /// <summary>A cidr: <paramref name="address"/> with its host bits already zero (the server refuses it otherwise).</summary>
    public void WriteCidr(IpAddr address, byte prefixLength)
    {
        Length(InetLength(address));
        WriteNetwork(address, prefixLength, isCidr: true);
    }

    /// <summary>A macaddr: its 6 bytes.</summary>
    public void WriteMacAddr(ReadOnlySpan<byte> mac) => WriteBytes(mac[..6]);

    /// <summary>A bytea of any length.</summary>
    public void WriteBytea(ReadOnlySpan<byte> value) => WriteBytes(value);

    /// <summary>A bytea, or NULL when <paramref name="value"/> is empty.</summary>
    public void WriteByteaOrNull(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            WriteNull();
        }
        else
        {
            WriteBytes(value);
        }
    }

    /// <summary>
    /// Opens a one-dimensional array of <paramref name="elementOid"/> (<c>array_send</c>'s layout:
    /// ndim, has-null flag, element type, then per dimension its length and lower bound 1); the
    /// elements follow with the <c>Element*</c> writers, then <see cref="EndArray"/> fills in the
    /// lengths. An array of no elements is written as PostgreSQL writes one: no dimensions.
    /// </summary>
    public void BeginArray(int elementOid)
    {
        Length(0);
        _arrayStart = _position - 4;
        _arrayCount = 0;
        Ensure(20);
        var s = _buffer.AsSpan(_position);
        BinaryPrimitives.WriteInt32BigEndian(s, 1);
        BinaryPrimitives.WriteInt32BigEndian(s[4..], 0);
        BinaryPrimitives.WriteInt32BigEndian(s[8..], elementOid);
        BinaryPrimitives.WriteInt32BigEndian(s[12..], 0);
        BinaryPrimitives.WriteInt32BigEndian(s[16..], 1);
        _position += 20;
    }

    public void ElementInt32(int value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), 4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position + 4), value);
        _position += 8;
        _arrayCount++;
    }

    public void ElementInt64(long value)
    {
        Ensure(12);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), 8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_position + 4), value);
        _position += 12;
        _arrayCount++;
    }

    /// <summary>An inet element holding one address (full mask).</summary>
    public void ElementInet(IpAddr address)
    {
        var length = InetLength(address);
        Ensure(4 + length);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), length);
        _position += 4;
        WriteNetwork(address, (byte)address.BitLength, isCidr: false);
        _arrayCount++;
    }

    /// <summary>A text element "a:b:c" of three unsigned numbers (a large community, RFC 8092's usual notation).</summary>
    public void ElementTriple(uint a, uint b, uint c)
    {
        Ensure(4 + (3 * 10) + 2);
        var s = _buffer.AsSpan(_position + 4);
        var n = Format(s, a);
        s[n++] = (byte)':';
        n += Format(s[n..], b);
        s[n++] = (byte)':';
        n += Format(s[n..], c);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), n);
        _position += 4 + n;
        _arrayCount++;
    }

    public void EndArray()
    {
        var start = _arrayStart;
        _arrayStart = -1;
        var s = _buffer.AsSpan(start);
        if (_arrayCount == 0)
        {
            // ndim 0, flags 0, element type: what array_send writes for '{}'.
            BinaryPrimitives.WriteInt32BigEndian(s, 12);
            BinaryPrimitives.WriteInt32BigEndian(s[4..], 0);
            _position = start + 16;
            return;
        }

        BinaryPrimitives.WriteInt32BigEndian(s, _position - start - 4);
        BinaryPrimitives.WriteInt32BigEndian(s[16..], _arrayCount);
    }

    /// <summary>Sends the trailer and ends the COPY; the server's error, if any, is thrown here.</summary>
    public void Complete()
    {
        CheckRowComplete();
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_position), -1);
        _position += 2;
        Flush(_position);
        var stream = _stream!;
        _stream = null;

        // Disposing the raw stream sends CopyDone and reads the server's answer.
        stream.Dispose();
    }

    /// <summary>Without <see cref="Complete"/>: cancels the COPY (CopyFail), as the importer does.</summary>
    public void Dispose()
    {
        if (_stream is { } stream)
        {
            _stream = null;
            try
            {
                stream.Cancel();
            }
            catch (Exception e) when (e is NpgsqlException or ObjectDisposedException or InvalidOperationException)
            {
                // Already failing (the server's error, a broken connection): the first exception is the one that matters.
            }
        }

        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private static int InetLength(IpAddr address) => address.IsV6 ? 4 + 16 : 4 + 4;

    private static int Format(Span<byte> destination, uint value)
    {
        value.TryFormat(destination, out var n, default, CultureInfo.InvariantCulture);
        return n;
    }

    /// <summary><c>inet_recv</c>'s layout: family, bits, is_cidr, address length, address.</summary>
    private void WriteNetwork(IpAddr address, byte bits, bool isCidr)
    {
        var s = _buffer.AsSpan(_position);
        s[0] = address.IsV6 ? FamilyInet6 : FamilyInet;
        s[1] = bits;
        s[2] = isCidr ? (byte)1 : (byte)0;
        s[3] = address.IsV6 ? (byte)16 : (byte)4;
        _position += 4 + address.WriteBytes(s[4..]);
    }

    private void WriteBytes(ReadOnlySpan<byte> value)
    {
        Length(value.Length);
        if (value.Length > _buffer.Length - _position)
        {
            Flush(_position);
            if (value.Length > _buffer.Length)
            {
                _stream!.Write(value);
                return;
            }
        }

        value.CopyTo(_buffer.AsSpan(_position));
        _position += value.Length;
    }

    /// <summary>A column's length word (-1: NULL), with room for that many bytes after it when they fit the buffer.</summary>
    private void Length(int length)
    {
        if (_written >= _columns)
        {
            TooManyColumns();
        }

        _written++;
        Ensure(4 + Math.Clamp(length, 0, BufferSize));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), length);
        _position += 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int bytes)
    {
        if (bytes > _buffer.Length - _position)
        {
            MakeRoom(bytes);
        }
    }

    /// <summary>Sends what is done; an open array stays in the buffer (moved to its start, the buffer grown if it must) for its length.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MakeRoom(int bytes)
    {
        if (_arrayStart < 0)
        {
            Flush(_position);
            return;
        }

        Flush(_arrayStart);
        if (_position + bytes > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + bytes));
            _buffer.AsSpan(0, _position).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    /// <summary>Sends the first <paramref name="count"/> bytes and moves the rest to the front.</summary>
    private void Flush(int count)
    {
        if (count > 0)
        {
            _stream!.Write(_buffer.AsSpan(0, count));
            _buffer.AsSpan(count, _position - count).CopyTo(_buffer);
            _position -= count;
            if (_arrayStart >= 0)
            {
                _arrayStart -= count;
            }
        }
    }

    private void CheckRowComplete()
    {
        if (_written >= 0 && _written != _columns)
        {
            throw new InvalidOperationException($"COPY row has {_written} columns, the statement {_columns}");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TooManyColumns() => throw new InvalidOperationException($"COPY row has more than {_columns} columns");
}
