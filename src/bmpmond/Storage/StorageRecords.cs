using Bmpmon.Core.Storage;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmond.Storage;

/// <summary>A route record read back from the row buffer; blobs are offsets into it.</summary>
internal ref struct RouteRecord
{
    public ushort Peer;
    public long Time;
    public long Arrival;
    public byte Rib;
    public ushort Afi;
    public byte Safi;
    public byte Flags;
    public uint PathId;
    public ulong Rd;
    public IpAddr Prefix;
    public byte PrefixLength;
    public byte LabelCount;
    public uint Label0;
    public uint Label1;
    public uint Label2;
    public uint Label3;
    public ulong AttributesId;
    public byte EvpnType;
    public int EsiOffset;
    public uint EthernetTag;
    public bool HasMac;
    public int MacOffset;
    public IpAddr EvpnIp;
    public (int Offset, int Length) Key;
    public (int Offset, int Length) Raw;

    public readonly bool Is(byte flag) => (Flags & flag) != 0;

    /// <summary>The bytes of a route record before its key: <see cref="Read"/>'s fixed-size fields.</summary>
    private const int FixedLength = 2 + 8 + 8 + 1 + 2 + 1 + 1 + 4 + 8 + 17 + 1 + 1 + (4 * 4) + 8 + 1 + 10 + 4 + 1 + 6 + 17;

    /// <summary>Moves past a route record without reading it (the passes that look for other records).</summary>
    public static void Skip(ref SpanCursor c)
    {
        c.Skip(FixedLength);
        c.Blob();
        c.Blob();
    }

    public static RouteRecord Read(ref SpanCursor c)
    {
        var r = new RouteRecord
        {
            Peer = c.U16(),
            Time = c.I64(),
            Arrival = c.I64(),
            Rib = c.U8(),
            Afi = c.U16(),
            Safi = c.U8(),
            Flags = c.U8(),
            PathId = c.U32(),
            Rd = c.U64(),
            Prefix = c.Ip(),
            PrefixLength = c.U8(),
            LabelCount = c.U8(),
            Label0 = c.U32(),
            Label1 = c.U32(),
            Label2 = c.U32(),
            Label3 = c.U32(),
            AttributesId = c.U64(),
            EvpnType = c.U8(),
        };
        r.EsiOffset = c.Position;
        c.Skip(10);
        r.EthernetTag = c.U32();
        r.HasMac = c.Bool();
        r.MacOffset = c.Position;
        c.Skip(6);
        r.EvpnIp = c.Ip();
        r.Key = c.Blob();
        r.Raw = c.Blob();
        return r;
    }
}

/// <summary>An attribute set record read back from the row buffer.</summary>
internal ref struct AttributesRecord
{
    public ulong Id;
    public IpAddr NextHop;
    public IpAddr LinkLocal;
    public byte Origin;
    public byte Flags;
    public uint Med;
    public uint LocalPref;
    public uint AggregatorAs;
    public IpAddr AggregatorAddress;
    public uint OriginatorId;
    public int AsPathOffset;
    public int AsPathCount;
    public (int Offset, int Length) Communities;
    public (int Offset, int Length) Extended;
    public (int Offset, int Length) Large;
    public (int Offset, int Length) ClusterList;
    public (int Offset, int Length) Other;

    public static AttributesRecord Read(ref SpanCursor c)
    {
        var a = new AttributesRecord
        {
            Id = c.U64(),
            NextHop = c.Ip(),
            LinkLocal = c.Ip(),
            Origin = c.U8(),
            Flags = c.U8(),
            Med = c.U32(),
            LocalPref = c.U32(),
            AggregatorAs = c.U32(),
            AggregatorAddress = c.Ip(),
            OriginatorId = c.U32(),
        };
        var count = c.U16();
        a.AsPathCount = count == ushort.MaxValue ? -1 : count;
        a.AsPathOffset = c.Position;
        c.Skip(Math.Max(a.AsPathCount, 0) * 4);
        a.Communities = c.Blob();
        a.Extended = c.Blob();
        a.Large = c.Blob();
        a.ClusterList = c.Blob();
        a.Other = c.Blob();
        return a;
    }
}

/// <summary>A router or peer event record (rare: fields as objects).</summary>
internal sealed class EventRecord
{
    public StorageRecordKind Kind { get; private init; }

    public ushort Peer { get; private init; }

    public long Time { get; private init; }

    public long Arrival { get; private init; }

    public string? Text1 { get; private init; }

    public string? Text2 { get; private init; }

    public string? Text3 { get; private init; }

    public byte PeerType { get; private init; }

    public ulong Distinguisher { get; private init; }

    public IpAddr Address { get; private init; }

    public uint Asn { get; private init; }

    public uint BgpId { get; private init; }

    public ushort LocalPort { get; private init; }

    public ushort RemotePort { get; private init; }

    public bool Flag { get; private init; }

    public byte Reason { get; private init; }

    public bool HasNotification { get; private init; }

    public byte Code { get; private init; }

    public byte Subcode { get; private init; }

    public bool HasFsm { get; private init; }

    public ushort Fsm { get; private init; }

    /// <summary>End-of-RIB: the RIB (<see cref="Bmpmon.Core.Wire.Bmp.BmpRib"/>) and family.</summary>
    public byte Rib { get; private init; }

    public ushort Afi { get; private init; }

    public byte Safi { get; private init; }

    /// <summary>Quarantine: the message's offset in its stream, the error's offset in the message, and the raw bytes in the buffer.</summary>
    public long StreamOffset { get; private init; }

    public int ErrorOffset { get; private init; }

    public (int Offset, int Length) Raw { get; private init; }

    public static EventRecord Read(ref SpanCursor c, StorageRecordKind kind)
    {
        switch (kind)
        {
            case StorageRecordKind.Initiation:
                return new EventRecord { Kind = kind, Time = c.I64(), Text1 = c.Text(), Text2 = c.Text() };
            case StorageRecordKind.Termination:
                return new EventRecord { Kind = kind, Time = c.I64() };
            case StorageRecordKind.PeerDefinition:
                return new EventRecord { Kind = kind, Peer = c.U16(), PeerType = c.U8(), Distinguisher = c.U64(), Address = c.Ip(), Asn = c.U32(), BgpId = c.U32() };
            case StorageRecordKind.PeerUp:
                return new EventRecord
                {
                    Kind = kind,
                    Peer = c.U16(),
                    Time = c.I64(),
                    Arrival = c.I64(),
                    Address = c.Ip(),
                    LocalPort = c.U16(),
                    RemotePort = c.U16(),
                    Flag = c.Bool(),
                    Asn = c.U32(),
                    BgpId = c.U32(),
                    Text1 = c.Text(),
                    Text2 = c.Text(),
                    Text3 = c.Text(),
                };
            case StorageRecordKind.PeerDown:
                return new EventRecord
                {
                    Kind = kind,
                    Peer = c.U16(),
                    Time = c.I64(),
                    Arrival = c.I64(),
                    Reason = c.U8(),
                    HasNotification = c.Bool(),
                    Code = c.U8(),
                    Subcode = c.U8(),
                    HasFsm = c.Bool(),
                    Fsm = c.U16(),
                    Text1 = c.Text(),
                    Text2 = c.Text(),
                };
            case StorageRecordKind.EndOfRib:
                return new EventRecord { Kind = kind, Peer = c.U16(), Time = c.I64(), Arrival = c.I64(), Rib = c.U8(), Afi = c.U16(), Safi = c.U8() };
            case StorageRecordKind.Quarantine:
                var arrival = c.I64();
                return new EventRecord
                {
                    Kind = kind,
                    Time = arrival,
                    Arrival = arrival,
                    StreamOffset = c.I64(),
                    ErrorOffset = (int)c.U32(),
                    Text1 = c.Text(),
                    Text2 = c.Text(),
                    Raw = c.Blob32(),
                };
            default:
                throw new InvalidDataException($"unknown storage record kind {(byte)kind}");
        }
    }
}

/// <summary>Walking a record buffer: each reader takes the records it needs and skips the others.</summary>
internal static class StorageRecords
{
    /// <summary>Reads past one record of <paramref name="kind"/> (its kind byte already read).</summary>
    public static void Skip(ref SpanCursor c, StorageRecordKind kind)
    {
        switch (kind)
        {
            case StorageRecordKind.Route:
                RouteRecord.Skip(ref c);
                break;
            case StorageRecordKind.Attributes:
                AttributesRecord.Read(ref c);
                break;
            default:
                EventRecord.Read(ref c, kind);
                break;
        }
    }
}
