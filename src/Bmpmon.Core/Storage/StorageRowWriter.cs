using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Storage;

/// <summary>
/// Encodes what a router session decodes into compact binary records (<see cref="StorageRecordKind"/>)
/// in a pooled buffer: no per-route objects on the session thread. The database writer reads them
/// back with <see cref="SpanCursor"/> and turns them into COPY rows. Little-endian, fixed layouts,
/// u16-prefixed blobs; times are microseconds since the Unix epoch.
/// </summary>
public sealed class StorageRowWriter(IBufferWriter<byte> output)
{
    /// <summary>Route flags.</summary>
    public const byte Withdrawn = 1, HasPathId = 2, HasRd = 4, HasPrefix = 8, IsEvpn = 16, HasAttributes = 32, IsOpaque = 64;

    /// <summary>Attribute flags.</summary>
    public const byte HasMed = 1, HasLocalPref = 2, AtomicAggregate = 4, HasAggregator = 8, HasOriginatorId = 16;

    /// <summary>Longest route key kept as is; longer ones (opaque NLRI) are replaced by their SHA-256.</summary>
    public const int MaxKeyLength = 64;

    private const int MaxFixedRoute = 256;

    /// <summary>Microseconds since the epoch of a per-peer header timestamp (RFC 7854 s4.2); <paramref name="fallback"/> when the router sent zero.</summary>
    public static long Time(in PerPeerHeader peer, long fallback) =>
        peer.TimestampSeconds == 0 && peer.TimestampMicroseconds == 0
            ? fallback
            : (peer.TimestampSeconds * 1_000_000L) + Math.Min(peer.TimestampMicroseconds, 999_999u);

    /// <summary>An Initiation record.</summary>
    public void WriteInitiation(long time, string? sysName, string? sysDescr)
    {
        var w = Start(StorageRecordKind.Initiation, 16);
        w.I64(time);
        Commit(ref w);
        WriteText(sysName);
        WriteText(sysDescr);
    }

    /// <summary>A Termination record.</summary>
    public void WriteTermination(long time)
    {
        var w = Start(StorageRecordKind.Termination, 16);
        w.I64(time);
        Commit(ref w);
    }

    /// <summary>A peer first seen in the session, under a session-local index.</summary>
    public void WritePeerDefinition(ushort index, in PerPeerHeader peer)
    {
        var w = Start(StorageRecordKind.PeerDefinition, 64);
        w.U16(index);
        w.U8((byte)peer.PeerType);
        w.U64(peer.Distinguisher);
        w.Ip(peer.PeerAddress);
        w.U32(peer.PeerAs);
        w.U32(peer.PeerBgpId);
        Commit(ref w);
    }

    /// <summary>A Peer Up record.</summary>
    public void WritePeerUp(ushort index, long time, long arrival, in PeerUpNotification peerUp, bool fourOctetAs, string? families, string? addPathRx, string? addPathTx)
    {
        var w = Start(StorageRecordKind.PeerUp, 64);
        w.U16(index);
        w.I64(time);
        w.I64(arrival);
        w.Ip(peerUp.LocalAddress);
        w.U16(peerUp.LocalPort);
        w.U16(peerUp.RemotePort);
        w.U8(fourOctetAs ? (byte)1 : (byte)0);
        w.U32(peerUp.Peer.PeerAs);
        w.U32(peerUp.Peer.PeerBgpId);
        Commit(ref w);
        WriteText(families);
        WriteText(addPathRx);
        WriteText(addPathTx);
    }

    /// <summary>A Peer Down record.</summary>
    public void WritePeerDown(ushort index, long time, long arrival, in PeerDownNotification peerDown)
    {
        var w = Start(StorageRecordKind.PeerDown, 64);
        w.U16(index);
        w.I64(time);
        w.I64(arrival);
        w.U8((byte)peerDown.Reason);
        var notification = peerDown.Notification;
        w.U8(peerDown.HasNotification ? (byte)1 : (byte)0);
        w.U8(peerDown.HasNotification ? notification.ErrorCode : (byte)0);
        w.U8(peerDown.HasNotification ? notification.ErrorSubcode : (byte)0);
        w.U8(peerDown.HasFsmEventCode ? (byte)1 : (byte)0);
        w.U16(peerDown.FsmEventCode);
        Commit(ref w);
        WriteText(PeerDownNotification.ReasonText(peerDown.Reason));
        WriteText(peerDown.HasNotification ? notification.ShutdownCommunicationText ?? notification.ErrorText : null);
    }

    /// <summary>An End-of-RIB marker of <paramref name="family"/> in the peer's <paramref name="rib"/>.</summary>
    public void WriteEndOfRib(ushort index, long time, long arrival, byte rib, AfiSafi family)
    {
        var w = Start(StorageRecordKind.EndOfRib, 32);
        w.U16(index);
        w.I64(time);
        w.I64(arrival);
        w.U8(rib);
        w.U16((ushort)family.Afi);
        w.U8((byte)family.Safi);
        Commit(ref w);
    }

    /// <summary>
    /// Bytes that could not be decoded: <paramref name="raw"/> is the whole BMP message, common
    /// header included (or the bytes that could not be framed), with a u32 length so a message up
    /// to the framer's limit fits. <paramref name="errorOffset"/> is relative to <paramref name="raw"/>.
    /// </summary>
    public void WriteQuarantine(long arrival, long streamOffset, int errorOffset, string kind, string reason, ReadOnlySpan<byte> raw)
    {
        var w = Start(StorageRecordKind.Quarantine, 32);
        w.I64(arrival);
        w.I64(streamOffset);
        w.U32((uint)errorOffset);
        Commit(ref w);
        WriteText(kind);
        WriteText(reason);
        var span = output.GetSpan(4 + raw.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)raw.Length);
        raw.CopyTo(span[4..]);
        output.Advance(4 + raw.Length);
    }

    /// <summary>A path attribute set with its id (<see cref="AttributeSetId"/>) and the route's next hops.</summary>
    public void WriteAttributes(ulong id, in PathAttributes attributes, IpAddr nextHop, IpAddr linkLocalNextHop)
    {
        var w = Start(StorageRecordKind.Attributes, 128);
        w.U64(id);
        w.Ip(nextHop);
        w.Ip(linkLocalNextHop);
        w.U8(attributes.HasOrigin ? (byte)attributes.Origin : byte.MaxValue);
        byte flags = 0;
        flags |= attributes.HasMed ? HasMed : (byte)0;
        flags |= attributes.HasLocalPref ? HasLocalPref : (byte)0;
        flags |= attributes.AtomicAggregate ? AtomicAggregate : (byte)0;
        flags |= attributes.HasAggregator ? HasAggregator : (byte)0;
        flags |= attributes.HasOriginatorId ? HasOriginatorId : (byte)0;
        w.U8(flags);
        w.U32(attributes.Med);
        w.U32(attributes.LocalPref);
        w.U32(attributes.AggregatorAs);
        w.Ip(attributes.AggregatorAddress);
        w.U32(attributes.OriginatorId);
        Commit(ref w);

        var asPath = attributes.AsPath;
        var count = asPath.IsPresent ? Math.Min(asPath.AsnCount, ushort.MaxValue - 1) : 0;
        var span = output.GetSpan(2 + (count * 4));
        BinaryPrimitives.WriteUInt16LittleEndian(span, asPath.IsPresent ? (ushort)count : ushort.MaxValue);
        if (count > 0)
        {
            var asns = count <= 256 ? stackalloc uint[count] : new uint[count];
            asPath.CopyAsns(asns);
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span[(2 + (i * 4))..], asns[i]);
            }
        }

        output.Advance(2 + (count * 4));
        WriteBlob(attributes.Communities);
        WriteBlob(attributes.ExtendedCommunities);
        WriteBlob(attributes.LargeCommunities);
        WriteBlob(attributes.ClusterList);
        WriteOtherAttributes(attributes);
    }

    /// <summary>One NLRI; <paramref name="attributesId"/> is 0 for a withdrawal.</summary>
    public void WriteRoute(ushort peerIndex, long time, long arrival, in PerPeerHeader peer, in Nlri nlri, bool withdrawn, ulong attributesId)
    {
        var w = Start(StorageRecordKind.Route, MaxFixedRoute + MaxKeyLength);
        w.U16(peerIndex);
        w.I64(time);
        w.I64(arrival);
        w.U8((byte)peer.Rib);
        w.U16((ushort)nlri.Family.Afi);
        w.U8((byte)nlri.Family.Safi);
        var prefix = Masked(nlri.Prefix);
        var hasPrefix = nlri.Family.IsIpPrefixFamily || (nlri.IsEvpn && nlri.Evpn.RouteType == EvpnRouteType.IpPrefix);
        hasPrefix &= !nlri.IsOpaque && prefix.Address.HasValue;
        byte flags = withdrawn ? Withdrawn : (byte)0;
        flags |= nlri.HasPathId ? HasPathId : (byte)0;
        flags |= nlri.HasRd ? HasRd : (byte)0;
        flags |= hasPrefix ? HasPrefix : (byte)0;
        flags |= nlri.IsEvpn ? IsEvpn : (byte)0;
        flags |= attributesId != 0 ? HasAttributes : (byte)0;
        flags |= nlri.IsOpaque ? IsOpaque : (byte)0;
        w.U8(flags);
        w.U32(nlri.PathId);
        var rd = nlri.IsEvpn ? nlri.Evpn.Rd : nlri.Rd;
        w.U64(rd.Value);
        w.Ip(prefix.Address);
        w.U8(prefix.Length);
        var labels = nlri.IsEvpn ? nlri.Evpn.Labels : nlri.Labels;
        w.U8((byte)labels.Count);
        for (var i = 0; i < MplsLabelStack.MaxInline; i++)
        {
            w.U32(i < labels.Count ? labels[i] : 0);
        }

        w.U64(attributesId);
        var evpn = nlri.Evpn;
        var evpnIp = evpn.Ip.HasValue ? evpn.Ip : evpn.OriginatorIp;
        w.U8(nlri.IsEvpn ? (byte)evpn.RouteType : (byte)0);
        evpn.Esi.WriteBytes(w.Take(EthernetSegmentIdentifier.Size));
        w.U32(evpn.EthernetTag);
        w.U8(evpn.MacLength > 0 ? (byte)1 : (byte)0);
        evpn.Mac.WriteBytes(w.Take(MacAddress.Size));
        w.Ip(nlri.IsEvpn ? evpnIp : default);

        // The route's identity in the current-state table: everything that tells two routes of one
        // peer apart (RFC 7911 path id, RD, prefix, the EVPN route key of RFC 7432 s7), not the labels
        // (RFC 8277 s2.4: a withdrawal's label field is ignored) nor an ESI outside types 1 and 4.
        var keyStart = w.Position;
        w.U16(0);
        var keyBody = w.Position;
        w.U8((byte)peer.Rib);
        w.U16((ushort)nlri.Family.Afi);
        w.U8((byte)nlri.Family.Safi);
        w.U8((byte)(flags & (HasPathId | HasRd | HasPrefix | IsEvpn | IsOpaque)));
        if (nlri.HasPathId)
        {
            w.U32(nlri.PathId);
        }

        if (nlri.HasRd || nlri.IsEvpn)
        {
            w.U64(rd.Value);
        }

        if (hasPrefix)
        {
            w.U8(prefix.Length);
            Span<byte> address = stackalloc byte[16];
            var n = prefix.Address.WriteBytes(address);
            address[..Math.Min(n, (prefix.Length + 7) / 8)].CopyTo(w.Take(Math.Min(n, (prefix.Length + 7) / 8)));
        }

        if (nlri.IsEvpn)
        {
            w.U8((byte)evpn.RouteType);
            if (evpn.RouteType is EvpnRouteType.EthernetAutoDiscovery or EvpnRouteType.EthernetSegment)
            {
                evpn.Esi.WriteBytes(w.Take(EthernetSegmentIdentifier.Size));
            }

            w.U32(evpn.EthernetTag);
            w.U8(evpn.MacLength);
            if (evpn.MacLength > 0)
            {
                evpn.Mac.WriteBytes(w.Take(MacAddress.Size));
            }

            w.Ip(evpnIp);
            if (!evpn.IsKnownType)
            {
                SHA256.HashData(nlri.Raw, w.Take(32));
            }
        }

        if (nlri.IsOpaque)
        {
            SHA256.HashData(nlri.Raw, w.Take(32));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(w.Span[keyStart..], (ushort)(w.Position - keyBody));
        Commit(ref w);
        WriteBlob(nlri.IsOpaque || (nlri.IsEvpn && !evpn.IsKnownType) ? nlri.Raw : default);
    }

    /// <summary>The prefix with the bits past its length cleared (PostgreSQL's cidr refuses host bits).</summary>
    public static IpPrefix Masked(IpPrefix prefix)
    {
        var address = prefix.Address;
        if (!address.HasValue)
        {
            return prefix;
        }

        var bits = address.BitLength;
        var length = Math.Min((int)prefix.Length, bits);
        if (address.IsV6)
        {
            var mask = length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);
            return new IpPrefix(IpAddr.FromV6(address.Value & mask), (byte)length);
        }

        var mask4 = length == 0 ? 0u : uint.MaxValue << (32 - length);
        return new IpPrefix(IpAddr.FromV4((uint)address.Value & mask4), (byte)length);
    }

    private void WriteOtherAttributes(in PathAttributes attributes)
    {
        if (attributes.UnknownCount == 0)
        {
            WriteBlob(default);
            return;
        }

        // Each attribute as flags, type, u16 length, value (RFC 4271 s4.3 with the extended length always).
        var lengthAt = output.GetSpan(2);
        var total = 0;
        output.Advance(2);
        var reader = new PathAttributeReader(attributes.Raw, 0);
        while (reader.TryRead(out var attribute, out _))
        {
            if (AttributeSetId.IsDecoded((PathAttributeType)attribute.TypeCode) || total + 4 + attribute.Value.Length > ushort.MaxValue)
            {
                continue;
            }

            var span = output.GetSpan(4 + attribute.Value.Length);
            span[0] = (byte)attribute.Flags;
            span[1] = attribute.TypeCode;
            BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)attribute.Value.Length);
            attribute.Value.CopyTo(span[4..]);
            output.Advance(4 + attribute.Value.Length);
            total += 4 + attribute.Value.Length;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(lengthAt, (ushort)total);
    }

    private void WriteBlob(ReadOnlySpan<byte> bytes)
    {
        var length = Math.Min(bytes.Length, ushort.MaxValue - 1);
        var span = output.GetSpan(2 + length);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)length);
        bytes[..length].CopyTo(span[2..]);
        output.Advance(2 + length);
    }

    private void WriteText(string? text)
    {
        if (text is null)
        {
            var span = output.GetSpan(2);
            BinaryPrimitives.WriteUInt16LittleEndian(span, ushort.MaxValue);
            output.Advance(2);
            return;
        }

        var max = Math.Min(System.Text.Encoding.UTF8.GetByteCount(text), ushort.MaxValue - 1);
        var bytes = output.GetSpan(2 + System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
        var n = System.Text.Encoding.UTF8.GetBytes(text, bytes[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)Math.Min(n, max));
        output.Advance(2 + Math.Min(n, max));
    }

    private RecordSpan Start(StorageRecordKind kind, int size)
    {
        var span = output.GetSpan(size);
        var w = new RecordSpan(span);
        w.U8((byte)kind);
        return w;
    }

    private void Commit(ref RecordSpan w) => output.Advance(w.Position);

    /// <summary>Sequential little-endian writes into a span obtained from the buffer writer.</summary>
    private ref struct RecordSpan(Span<byte> span)
    {
        public readonly Span<byte> Span = span;

        public int Position;

        public void U8(byte v) => Span[Position++] = v;

        public void U16(ushort v)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(Span[Position..], v);
            Position += 2;
        }

        public void U32(uint v)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(Span[Position..], v);
            Position += 4;
        }

        public void U64(ulong v)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(Span[Position..], v);
            Position += 8;
        }

        public void I64(long v) => U64((ulong)v);

        public void Ip(IpAddr address)
        {
            Span[Position] = address.HasValue ? (address.IsV6 ? (byte)6 : (byte)4) : (byte)0;
            BinaryPrimitives.WriteUInt128LittleEndian(Span[(Position + 1)..], address.HasValue ? address.Value : UInt128.Zero);
            Position += 17;
        }

        public Span<byte> Take(int n)
        {
            var s = Span.Slice(Position, n);
            Position += n;
            return s;
        }
    }
}
