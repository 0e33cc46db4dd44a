using System.Buffers.Binary;
using Bmpmon.Core.Storage;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmond.Storage;

/// <summary>The binary COPY row of one attribute set (<see cref="PostgresSql.CopyAttributes"/>).</summary>
internal static class AttributeCopyWriter
{
    /// <summary>Columns of <see cref="PostgresSql.CopyAttributes"/>.</summary>
    public const short Columns = 16;

    public static void Write(CopyBinaryWriter w, in AttributesRecord a, ReadOnlySpan<byte> bytes)
    {
        w.StartRow();
        w.WriteInt64((long)a.Id);
        w.WriteInet(a.NextHop);
        w.WriteInet(a.LinkLocal);
        if (a.Origin == byte.MaxValue)
        {
            w.WriteNull();
        }
        else
        {
            w.WriteInt16(a.Origin);
        }

        if (a.AsPathCount < 0)
        {
            w.WriteNull();
        }
        else
        {
            w.BeginArray(CopyBinaryWriter.Int8Oid);
            for (var i = 0; i < a.AsPathCount; i++)
            {
                w.ElementInt64(BinaryPrimitives.ReadUInt32LittleEndian(bytes[(a.AsPathOffset + (i * 4))..]));
            }

            w.EndArray();
        }

        WriteBigintList(w, bytes.Slice(a.Communities.Offset, a.Communities.Length), 4);
        WriteBigintList(w, bytes.Slice(a.Extended.Offset, a.Extended.Length), 8);
        WriteLargeCommunities(w, bytes.Slice(a.Large.Offset, a.Large.Length));
        w.WriteInt64((a.Flags & StorageRowWriter.HasMed) != 0, a.Med);
        w.WriteInt64((a.Flags & StorageRowWriter.HasLocalPref) != 0, a.LocalPref);
        w.WriteBool((a.Flags & StorageRowWriter.AtomicAggregate) != 0);
        var hasAggregator = (a.Flags & StorageRowWriter.HasAggregator) != 0;
        w.WriteInt64(hasAggregator, a.AggregatorAs);
        w.WriteInet(hasAggregator ? a.AggregatorAddress : default);
        w.WriteInet((a.Flags & StorageRowWriter.HasOriginatorId) != 0 ? IpAddr.FromV4(a.OriginatorId) : default);
        var clusters = bytes.Slice(a.ClusterList.Offset, a.ClusterList.Length);
        if (clusters.IsEmpty)
        {
            w.WriteNull();
        }
        else
        {
            w.BeginArray(CopyBinaryWriter.InetOid);
            for (var i = 0; i + 4 <= clusters.Length; i += 4)
            {
                w.ElementInet(IpAddr.FromV4(clusters.Slice(i, 4)));
            }

            w.EndArray();
        }

        w.WriteByteaOrNull(bytes.Slice(a.Other.Offset, a.Other.Length));
    }

    /// <summary>
    /// Communities (4 bytes each, unsigned) and extended communities (8 bytes each, kept as their
    /// signed 64-bit pattern) as bigint[], NULL when there are none: one encoder for both widths.
    /// </summary>
    private static void WriteBigintList(CopyBinaryWriter w, ReadOnlySpan<byte> values, int size)
    {
        if (values.IsEmpty)
        {
            w.WriteNull();
            return;
        }

        w.BeginArray(CopyBinaryWriter.Int8Oid);
        for (var i = 0; i + size <= values.Length; i += size)
        {
            var value = values.Slice(i, size);
            w.ElementInt64(size == 4 ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadInt64BigEndian(value));
        }

        w.EndArray();
    }

    /// <summary>Large communities (RFC 8092, 12 bytes each) as text[] "global:local1:local2", NULL when there are none.</summary>
    private static void WriteLargeCommunities(CopyBinaryWriter w, ReadOnlySpan<byte> values)
    {
        if (values.IsEmpty)
        {
            w.WriteNull();
            return;
        }

        w.BeginArray(CopyBinaryWriter.TextOid);
        for (var i = 0; i + 12 <= values.Length; i += 12)
        {
            var v = values.Slice(i, 12);
            w.ElementTriple(BinaryPrimitives.ReadUInt32BigEndian(v), BinaryPrimitives.ReadUInt32BigEndian(v[4..]), BinaryPrimitives.ReadUInt32BigEndian(v[8..]));
        }

        w.EndArray();
    }
}
