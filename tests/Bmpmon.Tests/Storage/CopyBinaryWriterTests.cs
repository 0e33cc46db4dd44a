using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Bmpmon.Core.Wire.Primitives;
using Bmpmon.Tests.Postgres;
using Bmpmond.Storage;
using Npgsql;

namespace Bmpmon.Tests.Storage;

/// <summary>
/// The hand-written binary COPY encoder against PostgreSQL itself: every column type the writer
/// sends is COPYed into a table of that type and read back (as PostgreSQL prints it, or as Npgsql
/// decodes it), NULLs and edge values included; buffer boundaries, cancel and the column check.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CopyBinaryWriterTests(SharedPostgres postgres)
{
    private const long Epoch2000Micros = 946_684_800_000_000;

    [Fact]
    public void Integers_and_booleans_round_trip_with_their_limits_and_nulls()
    {
        short[] smalls = [0, 1, -1, short.MinValue, short.MaxValue];
        int[] ints = [0, 1, -1, int.MinValue, int.MaxValue];
        long[] longs = [0, 1, -1, long.MinValue, long.MaxValue];
        var cs = Load("i2 smallint, i4 int, i8 bigint, b boolean", 5, smalls.Length + 1, (w, n) =>
        {
            if (n == smalls.Length)
            {
                w.WriteNull();
                w.WriteNull();
                w.WriteInt64(present: false, 42);
                w.WriteNull();
                return;
            }

            w.WriteInt16(smalls[n]);
            w.WriteInt32(ints[n]);
            w.WriteInt64(present: true, longs[n]);
            w.WriteBool(n % 2 == 0);
        });

        var rows = Read(cs, "i2, i4, i8, b");
        for (var n = 0; n < smalls.Length; n++)
        {
            Assert.Equal(new object?[] { smalls[n], ints[n], longs[n], n % 2 == 0 }, rows[n]);
        }

        Assert.Equal(new object?[] { null, null, null, null }, rows[^1]);
    }

    [Theory]
    [InlineData("1970-01-01 00:00:00+00:00")]
    [InlineData("1969-07-20 20:17:40.123456+00:00")]
    [InlineData("1999-12-31 23:59:59.999999+00:00")]
    [InlineData("2000-01-01 00:00:00+00:00")]
    [InlineData("2000-01-01 00:00:00.000001+00:00")]
    [InlineData("2026-11-23 23:21:17.654321+00:00")]
    [InlineData("2106-02-07 06:28:15+00:00")]
    public void Timestamps_before_and_after_2000_keep_every_microsecond(string text)
    {
        var micros = (DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        var cs = Load("ts timestamptz, none timestamptz", 3, 1, (w, _) =>
        {
            w.WriteTimestamp(micros);
            w.WriteOptionalTimestamp(long.MinValue);
        });

        Assert.Equal(new object?[] { true, micros, null }, Read(cs, $"ts = '{text}'::timestamptz, (extract(epoch FROM ts) * 1000000)::bigint, none")[0]);
        Assert.Equal(micros - Epoch2000Micros, Read(cs, "(extract(epoch FROM ts - '2000-01-01 00:00:00+00') * 1000000)::bigint")[0][0]);
    }

    [Theory]
    [InlineData("0.0.0.0", 0, "0.0.0.0/0")]
    [InlineData("10.0.0.0", 8, "10.0.0.0/8")]
    [InlineData("192.0.2.1", 32, "192.0.2.1/32")]
    [InlineData("255.255.255.255", 32, "255.255.255.255/32")]
    [InlineData("::", 0, "::/0")]
    [InlineData("2001:db8::", 32, "2001:db8::/32")]
    [InlineData("2001:db8::1", 128, "2001:db8::1/128")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")]
    public void Inet_and_cidr_keep_family_address_and_prefix_length(string address, byte length, string cidr)
    {
        var ip = Ip(address);
        var cs = Load("ip inet, net cidr, none inet", 4, 1, (w, _) =>
        {
            w.WriteInet(ip);
            w.WriteCidr(ip, length);
            w.WriteInet(default);
        });

        var row = Read(cs, $"host(ip), ip = '{address}'::inet, family(ip), masklen(ip), net::text, net = '{cidr}'::cidr, masklen(net), family(net), none")[0];
        Assert.Equal(new object?[] { address, true, ip.IsV6 ? 6 : 4, ip.IsV6 ? 128 : 32, cidr, true, (int)length, ip.IsV6 ? 6 : 4, null }, row);
    }

    [Fact]
    public void Macaddr_and_bytea_of_every_size_round_trip()
    {
        byte[] mac = [0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc, 0xff];
        var big = new byte[200_000];
        new Random(7).NextBytes(big);
        byte[][] values = [[], [0x5a], [.. Enumerable.Range(0, 256).Select(i => (byte)i)], big];
        var cs = Load("mac macaddr, raw bytea, opt bytea", 4, values.Length, (w, n) =>
        {
            w.WriteMacAddr(mac.AsSpan(n % 2));
            w.WriteBytea(values[n]);
            w.WriteByteaOrNull(values[n]);
        });

        var rows = Read(cs, "mac::text, raw, opt");
        for (var n = 0; n < values.Length; n++)
        {
            Assert.Equal(n % 2 == 0 ? "00:11:22:aa:bb:cc" : "11:22:aa:bb:cc:ff", rows[n][0]);
            Assert.Equal(values[n], rows[n][1]);
            Assert.Equal(values[n].Length == 0 ? null : values[n], rows[n][2]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(30_000)]
    public void Arrays_of_int4_int8_text_and_inet_with_none_one_or_many_elements(int count)
    {
        var ints = Enumerable.Range(0, count).Select(i => i % 3 == 0 ? -i : i % 3 == 1 ? int.MaxValue - i : i).ToArray();

        // Extended communities are their 8 bytes as a signed bigint: transitive two-octet AS type 0x00, non-transitive 0x40, and 0x80 (negative).
        var longs = Enumerable.Range(0, count).Select(i => i % 2 == 0 ? unchecked((long)0x8002_fde8_0000_0064UL) - i : (4_200_000_000L << 8) + i).ToArray();
        var triples = Enumerable.Range(0, count).Select(i => ((uint)i, i % 2 == 0 ? uint.MaxValue : 0u, (uint)(65_000 + i))).ToArray();
        var addresses = Enumerable.Range(0, count).Select(i => i % 2 == 0 ? IpAddr.FromV4((uint)(0xC000_0200 + i)) : IpAddr.FromV6(((UInt128)0x2001_0db8 << 96) + (UInt128)i)).ToArray();
        var cs = Load("a4 int[], a8 bigint[], at text[], ai inet[]", 5, 1, (w, _) =>
        {
            w.BeginArray(CopyBinaryWriter.Int4Oid);
            foreach (var v in ints)
            {
                w.ElementInt32(v);
            }

            w.EndArray();
            w.BeginArray(CopyBinaryWriter.Int8Oid);
            foreach (var v in longs)
            {
                w.ElementInt64(v);
            }

            w.EndArray();
            w.BeginArray(CopyBinaryWriter.TextOid);
            foreach (var (a, b, c) in triples)
            {
                w.ElementTriple(a, b, c);
            }

            w.EndArray();
            w.BeginArray(CopyBinaryWriter.InetOid);
            foreach (var a in addresses)
            {
                w.ElementInet(a);
            }

            w.EndArray();
        });

        var row = Read(cs, "a4, a8, at, ARRAY(SELECT host(x) FROM unnest(ai) WITH ORDINALITY u(x, o) ORDER BY o), (SELECT bool_and(masklen(x) = CASE family(x) WHEN 4 THEN 32 ELSE 128 END) FROM unnest(ai) x), a4 = '{}', coalesce(array_ndims(a8), 0), coalesce(array_lower(at, 1), 1), coalesce(array_upper(ai, 1), 0)")[0];
        Assert.Equal(ints, row[0]);
        Assert.Equal(longs, row[1]);
        Assert.Equal(triples.Select(t => FormattableString.Invariant($"{t.Item1}:{t.Item2}:{t.Item3}")).ToArray(), row[2]);
        Assert.Equal(addresses.Select(a => a.ToString()).ToArray(), row[3]);
        Assert.Equal(new object?[] { count == 0 ? null : true, count == 0, count == 0 ? 0 : 1, 1, count }, row[4..]);
    }

    [Fact]
    public void Rows_across_many_buffers_arrive_whole_and_in_order()
    {
        const int Rows = 50_000;
        var cs = Load("ts timestamptz, a bigint[], raw bytea", 4, Rows, (w, n) =>
        {
            w.WriteTimestamp(1_700_000_000_000_000L + n);
            w.BeginArray(CopyBinaryWriter.Int8Oid);
            for (var i = 0; i < n % 7; i++)
            {
                w.ElementInt64(-n);
            }

            w.EndArray();
            Span<byte> raw = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(raw, n);
            w.WriteBytea(raw[..(n % 5)]);
        });

        var stats = Read(cs, """
            SELECT count(*), count(*) FILTER (WHERE (extract(epoch FROM ts) * 1000000)::bigint = 1700000000000000 + n),
                   count(*) FILTER (WHERE coalesce(cardinality(a), 0) = n % 7 AND coalesce(a[1], -n) = -n AND coalesce(a[n % 7], -n) = -n),
                   count(*) FILTER (WHERE raw = substring(int4send(n) FOR n % 5))
            FROM t
            """, whole: true)[0];
        Assert.Equal(new object?[] { (long)Rows, (long)Rows, (long)Rows, (long)Rows }, stats);
    }

    [Fact]
    public void Dispose_without_complete_keeps_nothing_and_the_connection_works()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        using var connection = dataSource.OpenConnection();
        Exec(connection, "CREATE TABLE t (n int, raw bytea)");
        using (var w = CopyBinaryWriter.Begin(connection, "COPY t (n, raw) FROM STDIN (FORMAT BINARY)", 2))
        {
            for (var n = 0; n < 20_000; n++)
            {
                w.StartRow();
                w.WriteInt32(n);
                w.WriteBytea(new byte[n % 50]);
            }
        }

        using var command = new NpgsqlCommand("SELECT count(*) FROM t", connection);
        Assert.Equal(0L, command.ExecuteScalar());
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_columns_throws_before_it_is_sent()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        using var connection = dataSource.OpenConnection();
        Exec(connection, "CREATE TABLE t (n int, m int)");
        using (var w = CopyBinaryWriter.Begin(connection, "COPY t (n, m) FROM STDIN (FORMAT BINARY)", 2))
        {
            w.StartRow();
            w.WriteInt32(1);
            Assert.Throws<InvalidOperationException>(w.StartRow);
            Assert.Throws<InvalidOperationException>(w.Complete);
        }

        using (var w = CopyBinaryWriter.Begin(connection, "COPY t (n, m) FROM STDIN (FORMAT BINARY)", 2))
        {
            w.StartRow();
            w.WriteInt32(1);
            w.WriteInt32(2);
            Assert.Throws<InvalidOperationException>(() => w.WriteInt32(3));
        }

        using var command = new NpgsqlCommand("SELECT count(*) FROM t", connection);
        Assert.Equal(0L, command.ExecuteScalar());
    }

    private static IpAddr Ip(string text)
    {
        var bytes = IPAddress.Parse(text).GetAddressBytes();
        return bytes.Length == 4 ? IpAddr.FromV4(bytes) : IpAddr.FromV6(bytes);
    }

    private static void Exec(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>A fresh database with table t (n int, <paramref name="columns"/>), <paramref name="rows"/> rows COPYed in by the writer (n first, then <paramref name="write"/>).</summary>
    private string Load(string columns, short count, int rows, Action<CopyBinaryWriter, int> write)
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        using var connection = dataSource.OpenConnection();
        Exec(connection, $"CREATE TABLE t (n int, {columns})");
        using var w = CopyBinaryWriter.Begin(connection, "COPY t FROM STDIN (FORMAT BINARY)", count);
        for (var n = 0; n < rows; n++)
        {
            w.StartRow();
            w.WriteInt32(n);
            write(w, n);
        }

        w.Complete();
        return cs;
    }

    /// <summary>The rows of <c>SELECT <paramref name="select"/> FROM t ORDER BY n</c> (or of the whole query), decoded by Npgsql.</summary>
    private static List<object?[]> Read(string cs, string select, bool whole = false) =>
        StorageTestSupport.Query(cs, whole ? select : $"SELECT {select} FROM t ORDER BY n");
}
