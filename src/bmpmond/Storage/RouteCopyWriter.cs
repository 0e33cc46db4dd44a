using System.Net;
using System.Net.NetworkInformation;
using Bmpmon.Core.Storage;
using Bmpmon.Core.Wire.Primitives;
using Npgsql;
using NpgsqlTypes;

namespace Bmpmond.Storage;

/// <summary>
/// The binary COPY rows of routes: one route_updates row per route record
/// (<see cref="PostgresSql.CopyRouteUpdates"/>), one routes_stage row per route key of a batch
/// (<see cref="PostgresSql.CopyRouteState"/>) and one routes row per key new to the table
/// (<see cref="PostgresSql.CopyNewRoutes"/>), sharing the encoding of the NLRI columns.
/// </summary>
internal static class RouteCopyWriter
{
    public static void WriteRouteUpdate(NpgsqlBinaryImporter importer, PostgresRouterState state, in RouteRecord r, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        importer.StartRow();
        importer.Write(Time(r.Time), NpgsqlDbType.TimestampTz);
        importer.Write(Time(r.Arrival), NpgsqlDbType.TimestampTz);
        importer.Write(state.RouterId, NpgsqlDbType.Integer);
        importer.Write(state.PeerIds[r.Peer], NpgsqlDbType.Integer);
        WriteFamily(importer, r, labels: true);
        importer.Write(r.Is(StorageRowWriter.Withdrawn), NpgsqlDbType.Boolean);
        WriteOptional(importer, r.AttributesId != 0, (long)r.AttributesId);
        WriteNlri(importer, r, bytes, buffer, esi: true);
    }

    public static void WriteRouteState(NpgsqlBinaryImporter importer, in RouteStateBatch.KeyState k, in RouteRecord r, ReadOnlySpan<byte> bytes, byte[] buffer)
    {
        importer.StartRow();
        importer.Write(k.RouterId, NpgsqlDbType.Integer);
        importer.Write(k.PeerId, NpgsqlDbType.Integer);
        WriteFamily(importer, r, labels: true);
        WriteNlri(importer, r, bytes, buffer, esi: r.EvpnType is 1 or 4);
        importer.Write(new ReadOnlyMemory<byte>(buffer, r.Key.Offset, r.Key.Length), NpgsqlDbType.Bytea);
        importer.Write(Time(k.FirstTime), NpgsqlDbType.TimestampTz);
        importer.Write(k.FirstWithdrawn, NpgsqlDbType.Boolean);
        WriteOptional(importer, k.FirstAttributes != 0, (long)k.FirstAttributes);
        importer.Write(Time(k.LastTime), NpgsqlDbType.TimestampTz);
        importer.Write(k.LastWithdrawn, NpgsqlDbType.Boolean);
        WriteOptional(importer, k.LastAttributes != 0, (long)k.LastAttributes);
        importer.Write(k.InnerChurn, NpgsqlDbType.Bigint);
        WriteOptionalTime(importer, k.InnerChange);
        WriteOptionalTime(importer, k.InnerWithdrawnStart);
    }

    /// <summary>
    /// The row <see cref="PostgresSql.UpsertRoutes"/> inserts for a key new to routes, computed
    /// here: the batch's first and last rows of the key and the transitions between them.
    /// </summary>
    public static void WriteNewRoute(NpgsqlBinaryImporter importer, in RouteStateBatch.KeyState k, in RouteRecord r, ReadOnlySpan<byte> bytes, byte[] buffer, int syncGeneration)
    {
        importer.StartRow();
        importer.Write(k.RouterId, NpgsqlDbType.Integer);
        importer.Write(k.PeerId, NpgsqlDbType.Integer);
        WriteFamily(importer, r, labels: !k.LastWithdrawn);
        WriteNlri(importer, r, bytes, buffer, esi: r.EvpnType is 1 or 4);
        importer.Write(new ReadOnlyMemory<byte>(buffer, r.Key.Offset, r.Key.Length), NpgsqlDbType.Bytea);
        importer.Write(Time(k.FirstTime), NpgsqlDbType.TimestampTz);
        importer.Write(Time(k.LastTime), NpgsqlDbType.TimestampTz);
        importer.Write(Time(k.InnerChange == long.MinValue ? k.FirstTime : k.InnerChange), NpgsqlDbType.TimestampTz);
        importer.Write(k.LastWithdrawn, NpgsqlDbType.Boolean);
        WriteOptionalTime(importer, !k.LastWithdrawn ? long.MinValue : k.InnerWithdrawnStart == long.MinValue ? k.FirstTime : k.InnerWithdrawnStart);
        importer.Write(k.InnerChurn, NpgsqlDbType.Bigint);
        WriteOptional(importer, k.LastAttributes != 0, (long)k.LastAttributes);
        importer.Write(syncGeneration, NpgsqlDbType.Integer);
    }

    public static DateTime Time(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10);

    public static void WriteOptional(NpgsqlBinaryImporter importer, bool present, long value)
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

    public static void WriteInet(NpgsqlBinaryImporter importer, IpAddr address)
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

    /// <summary>rib, afi, safi, labels (NULL unless <paramref name="labels"/>).</summary>
    private static void WriteFamily(NpgsqlBinaryImporter importer, in RouteRecord r, bool labels)
    {
        importer.Write((short)r.Rib, NpgsqlDbType.Smallint);
        importer.Write((short)r.Afi, NpgsqlDbType.Smallint);
        importer.Write((short)r.Safi, NpgsqlDbType.Smallint);
        if (r.LabelCount == 0 || !labels)
        {
            importer.WriteNull();
            return;
        }

        var stack = new int[Math.Min((int)r.LabelCount, 4)];
        for (var i = 0; i < stack.Length; i++)
        {
            stack[i] = (int)(i switch { 0 => r.Label0, 1 => r.Label1, 2 => r.Label2, _ => r.Label3 });
        }

        importer.Write(stack, NpgsqlDbType.Array | NpgsqlDbType.Integer);
    }

    /// <summary>rd, prefix, path_id, evpn_route_type, esi, ethernet_tag, mac, evpn_ip, raw_nlri.</summary>
    private static void WriteNlri(NpgsqlBinaryImporter importer, in RouteRecord r, ReadOnlySpan<byte> bytes, byte[] buffer, bool esi)
    {
        var isEvpn = r.Is(StorageRowWriter.IsEvpn);
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
        if (isEvpn)
        {
            importer.Write((short)r.EvpnType, NpgsqlDbType.Smallint);
            if (esi)
            {
                importer.Write(new ReadOnlyMemory<byte>(buffer, r.EsiOffset, 10), NpgsqlDbType.Bytea);
            }
            else
            {
                importer.WriteNull();
            }

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
    }

    private static void WriteOptionalTime(NpgsqlBinaryImporter importer, long micros)
    {
        if (micros == long.MinValue)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(Time(micros), NpgsqlDbType.TimestampTz);
        }
    }
}
