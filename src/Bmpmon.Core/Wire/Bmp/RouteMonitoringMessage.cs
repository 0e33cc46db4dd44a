using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// A Route Monitoring message (RFC 7854 s4.6): per-peer header, then one BGP UPDATE PDU.
/// <para>
/// Version 3: the UPDATE follows the per-peer header directly; bytes after it (the BGP length cuts
/// it) are kept in <see cref="Tlvs"/> without error, because Cisco IOS XR sends 8-10 extra bytes there.
/// </para>
/// <para>
/// Version 4 (draft-ietf-grow-bmp-tlv-13 s4.1): the per-peer header is followed by TLVs of type (2),
/// length (2, not counting the index), index (2), value; the UPDATE travels inside the BGP Message
/// TLV (type 4 on the wire today, see <see cref="RouteMonitoringTlvType"/>); the others (VRF/Table
/// Name, Group with index | 0x8000, Path Status, Stateless Parsing) may come before or after it.
/// Later draft revisions renumber the types, so when no type-4 TLV holds a BGP marker the first TLV
/// whose value starts with the marker is taken. Some v4 exporters (the bmp_play dump) still put the
/// UPDATE right after the per-peer header, followed by index-less TLVs: that layout is recognised by
/// the marker and read like version 3.
/// </para>
/// </summary>
public readonly ref struct RouteMonitoringMessage
{
    private const int BodyOffset = BmpCommonHeader.Size + PerPeerHeader.Size;

    private readonly int _skipOffset;

    private RouteMonitoringMessage(byte version, PerPeerHeader peer, ReadOnlySpan<byte> bgpMessage, int bgpMessageOffset, ReadOnlySpan<byte> tlvs, int tlvsOffset, bool tlvsHaveIndex, int skipOffset)
    {
        Version = version;
        Peer = peer;
        BgpMessage = bgpMessage;
        BgpMessageOffset = bgpMessageOffset;
        Tlvs = tlvs;
        TlvsOffset = tlvsOffset;
        TlvsHaveIndex = tlvsHaveIndex;
        _skipOffset = skipOffset;
    }

    /// <summary>The BMP version (3 or 4).</summary>
    public byte Version { get; }

    /// <summary>The per-peer header.</summary>
    public PerPeerHeader Peer { get; }

    /// <summary>The whole BGP UPDATE, 19-byte header included, cut by the BGP length field.</summary>
    public ReadOnlySpan<byte> BgpMessage { get; }

    /// <summary>Absolute offset of <see cref="BgpMessage"/> within the BMP message.</summary>
    public int BgpMessageOffset { get; }

    /// <summary>
    /// v4 TLV layout: every TLV after the per-peer header (the BGP Message TLV included; <see cref="GetTlvs"/>
    /// leaves it out). Otherwise: the bytes after the BGP PDU (v3 trailing bytes, or index-less TLVs).
    /// </summary>
    public ReadOnlySpan<byte> Tlvs { get; }

    /// <summary>Absolute offset of <see cref="Tlvs"/>.</summary>
    public int TlvsOffset { get; }

    /// <summary>True when <see cref="Tlvs"/> use the v4 layout with an index field.</summary>
    public bool TlvsHaveIndex { get; }

    /// <summary>The TLVs other than the BGP Message TLV. For v3 trailing bytes that are not TLVs, the reader reports an error.</summary>
    public BmpTlvReader GetTlvs() => new(Tlvs, TlvsOffset, TlvsHaveIndex, _skipOffset);

    /// <summary>Parses a whole Route Monitoring message (common header included). Allocates nothing.</summary>
    /// <param name="message">The BMP message, as cut by the framer.</param>
    /// <param name="m">The message when true.</param>
    /// <param name="e">The failure: per-peer header truncated, BGP header errors, <see cref="DecodeErrorCode.UnexpectedType"/> when the PDU is not an UPDATE, <see cref="DecodeErrorCode.BadValue"/> when a v4 message has no BGP PDU.</param>
    public static bool TryParse(ReadOnlySpan<byte> message, out RouteMonitoringMessage m, out DecodeError e)
    {
        m = default;
        if (!BmpMessageBody.TryOpenPeer(message, out var version, out var peer, out var body, out e))
        {
            return false;
        }

        var rest = body.RemainingSpan;
        if (version == BmpCommonHeader.Version3 || BgpMessageHeader.StartsWithMarker(rest))
        {
            if (!TryCutUpdate(rest, BodyOffset, out var length, out e))
            {
                return false;
            }

            m = new RouteMonitoringMessage(version, peer, rest[..length], BodyOffset, rest[length..], BodyOffset + length, false, -1);
            return true;
        }

        // v4 TLV layout: find the BGP Message TLV in one pass.
        var reader = new BmpTlvReader(rest, BodyOffset, withIndex: true);
        var pduTlvOffset = -1;
        ReadOnlySpan<byte> pdu = default;
        var pduOffset = 0;
        while (reader.TryRead(out var tlv, out e))
        {
            if (!BgpMessageHeader.StartsWithMarker(tlv.Value))
            {
                continue;
            }

            if (tlv.Type == (ushort)RouteMonitoringTlvType.BgpMessage)
            {
                pduTlvOffset = tlv.Offset;
                pdu = tlv.Value;
                pduOffset = tlv.ValueOffset;
                break;
            }

            if (pduTlvOffset < 0)
            {
                pduTlvOffset = tlv.Offset;
                pdu = tlv.Value;
                pduOffset = tlv.ValueOffset;
            }
        }

        if (e.IsError)
        {
            return false;
        }

        if (pduTlvOffset < 0)
        {
            e = new DecodeError(DecodeErrorCode.BadValue, BodyOffset, "BMP v4 Route Monitoring: no BGP Message TLV");
            return false;
        }

        if (!TryCutUpdate(pdu, pduOffset, out var pduLength, out e))
        {
            return false;
        }

        m = new RouteMonitoringMessage(version, peer, pdu[..pduLength], pduOffset, rest, BodyOffset, true, pduTlvOffset);
        return true;
    }

    private static bool TryCutUpdate(ReadOnlySpan<byte> bytes, int offset, out int length, out DecodeError error)
    {
        if (!BgpMessageHeader.TryRead(bytes, offset, out var header, out error))
        {
            length = 0;
            return false;
        }

        if (header.Type != BgpMessageType.Update)
        {
            length = 0;
            error = new DecodeError(DecodeErrorCode.UnexpectedType, offset + BgpMessageHeader.Size - 1, "Route Monitoring BGP message type");
            return false;
        }

        length = header.Length;
        return true;
    }
}
