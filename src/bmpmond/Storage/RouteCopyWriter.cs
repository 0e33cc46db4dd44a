using Bmpmon.Core.Storage;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmond.Storage;

/// <summary>
/// The binary COPY rows of routes: one route_updates row per route record
/// (<see cref="PostgresSql.CopyRouteUpdates"/>), one routes_stage row per route key of a batch
/// (<see cref="PostgresSql.CopyRouteState"/>) and one routes row per key new to the table
/// (<see cref="PostgresSql.CopyNewRoutes"/>), sharing the encoding of the NLRI columns.
/// </summary>
internal static class RouteCopyWriter
{
    /// <summary>Columns of <see cref="PostgresSql.CopyRouteUpdates"/>.</summary>
    public const short RouteUpdateColumns = 19;

    /// <summary>Columns of <see cref="PostgresSql.CopyRouteState"/>.</summary>
    public const short RouteStateColumns = 25;

    /// <summary>Columns of <see cref="PostgresSql.CopyNewRoutes"/>.</summary>
    public const short NewRouteColumns = 24;

    public static void WriteRouteUpdate(CopyBinaryWriter w, PostgresRouterState state, in RouteRecord r, ReadOnlySpan<byte> bytes)
    {
        w.StartRow();
        w.WriteTimestamp(r.Time);
        w.WriteTimestamp(r.Arrival);
        w.WriteInt32(state.RouterId);
        w.WriteInt32(state.PeerIds[r.Peer]);
        WriteFamily(w, r, labels: true);
        w.WriteBool(r.Is(StorageRowWriter.Withdrawn));
        w.WriteInt64(r.AttributesId != 0, (long)r.AttributesId);
        WriteNlri(w, r, bytes, esi: true);
    }

    public static void WriteRouteState(CopyBinaryWriter w, in RouteStateBatch.KeyState k, in RouteRecord r, ReadOnlySpan<byte> bytes)
    {
        w.StartRow();
        w.WriteInt32(k.RouterId);
        w.WriteInt32(k.PeerId);
        WriteFamily(w, r, labels: true);
        WriteNlri(w, r, bytes, esi: r.EvpnType is 1 or 4);
        w.WriteBytea(bytes.Slice(r.Key.Offset, r.Key.Length));
        w.WriteTimestamp(k.FirstTime);
        w.WriteBool(k.FirstWithdrawn);
        w.WriteInt64(k.FirstAttributes != 0, (long)k.FirstAttributes);
        w.WriteTimestamp(k.LastTime);
        w.WriteBool(k.LastWithdrawn);
        w.WriteInt64(k.LastAttributes != 0, (long)k.LastAttributes);
        w.WriteInt64(k.InnerChurn);
        w.WriteOptionalTimestamp(k.InnerChange);
        w.WriteOptionalTimestamp(k.InnerWithdrawnStart);
    }

    /// <summary>
    /// The row <see cref="PostgresSql.UpsertRoutes"/> inserts for a key new to routes, computed
    /// here: the batch's first and last rows of the key and the transitions between them.
    /// </summary>
    public static void WriteNewRoute(CopyBinaryWriter w, in RouteStateBatch.KeyState k, in RouteRecord r, ReadOnlySpan<byte> bytes, int syncGeneration)
    {
        w.StartRow();
        w.WriteInt32(k.RouterId);
        w.WriteInt32(k.PeerId);
        WriteFamily(w, r, labels: !k.LastWithdrawn);
        WriteNlri(w, r, bytes, esi: r.EvpnType is 1 or 4);
        w.WriteBytea(bytes.Slice(r.Key.Offset, r.Key.Length));
        w.WriteTimestamp(k.FirstTime);
        w.WriteTimestamp(k.LastTime);
        w.WriteTimestamp(k.InnerChange == long.MinValue ? k.FirstTime : k.InnerChange);
        w.WriteBool(k.LastWithdrawn);
        w.WriteOptionalTimestamp(!k.LastWithdrawn ? long.MinValue : k.InnerWithdrawnStart == long.MinValue ? k.FirstTime : k.InnerWithdrawnStart);
        w.WriteInt64(k.InnerChurn);
        w.WriteInt64(k.LastAttributes != 0, (long)k.LastAttributes);
        w.WriteInt32(syncGeneration);
    }

    /// <summary>Microseconds since the Unix epoch as a UTC <see cref="DateTime"/> (statement parameters).</summary>
    public static DateTime Time(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10);

    /// <summary>rib, afi, safi, labels (NULL unless <paramref name="labels"/>).</summary>
    private static void WriteFamily(CopyBinaryWriter w, in RouteRecord r, bool labels)
    {
        w.WriteInt16(r.Rib);
        w.WriteInt16((short)r.Afi);
        w.WriteInt16(r.Safi);
        if (r.LabelCount == 0 || !labels)
        {
            w.WriteNull();
            return;
        }

        w.BeginArray(CopyBinaryWriter.Int4Oid);
        var count = Math.Min((int)r.LabelCount, 4);
        for (var i = 0; i < count; i++)
        {
            w.ElementInt32((int)(i switch { 0 => r.Label0, 1 => r.Label1, 2 => r.Label2, _ => r.Label3 }));
        }

        w.EndArray();
    }

    /// <summary>rd, prefix, path_id, evpn_route_type, esi, ethernet_tag, mac, evpn_ip, raw_nlri.</summary>
    private static void WriteNlri(CopyBinaryWriter w, in RouteRecord r, ReadOnlySpan<byte> bytes, bool esi)
    {
        var isEvpn = r.Is(StorageRowWriter.IsEvpn);
        w.WriteInt64(r.Is(StorageRowWriter.HasRd) || isEvpn, (long)r.Rd);
        if (r.Is(StorageRowWriter.HasPrefix))
        {
            w.WriteCidr(r.Prefix, r.PrefixLength);
        }
        else
        {
            w.WriteNull();
        }

        w.WriteInt64(r.Is(StorageRowWriter.HasPathId), r.PathId);
        if (isEvpn)
        {
            w.WriteInt16(r.EvpnType);
            if (esi)
            {
                w.WriteBytea(bytes.Slice(r.EsiOffset, 10));
            }
            else
            {
                w.WriteNull();
            }

            w.WriteInt64(r.EthernetTag);
            if (r.HasMac)
            {
                w.WriteMacAddr(bytes.Slice(r.MacOffset, 6));
            }
            else
            {
                w.WriteNull();
            }

            w.WriteInet(r.EvpnIp);
        }
        else
        {
            w.WriteNull();
            w.WriteNull();
            w.WriteNull();
            w.WriteNull();
            w.WriteNull();
        }

        w.WriteByteaOrNull(bytes.Slice(r.Raw.Offset, r.Raw.Length));
    }
}
