using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// A Route Mirroring message (RFC 7854 s4.7): per-peer header, then TLVs: BGP Message (0, a whole
/// BGP PDU with its header) and Information (1, a 2-byte code: 0 errored PDU, 1 messages lost).
/// Types in <see cref="Iana.RouteMirroringTlvType"/>.
/// </summary>
public readonly ref struct RouteMirroringMessage
{
    private const int TlvsOffset = BmpCommonHeader.Size + PerPeerHeader.Size;

    private readonly ReadOnlySpan<byte> _tlvs;

    private RouteMirroringMessage(PerPeerHeader peer, ReadOnlySpan<byte> tlvs)
    {
        Peer = peer;
        _tlvs = tlvs;
    }

    /// <summary>The per-peer header.</summary>
    public PerPeerHeader Peer { get; }

    /// <summary>A reader over the TLVs (validated by <see cref="TryParse"/>).</summary>
    public BmpTlvReader GetTlvs() => new(_tlvs, TlvsOffset);

    /// <summary>Parses a whole Route Mirroring message.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out RouteMirroringMessage mirroring, out DecodeError error)
    {
        mirroring = default;
        if (!BmpMessageBody.TryOpenPeer(message, out _, out var peer, out var body, out error)
            || !BmpMessageBody.TryValidateTlvs(body.RemainingSpan, TlvsOffset, out error))
        {
            return false;
        }

        mirroring = new RouteMirroringMessage(peer, body.RemainingSpan);
        return true;
    }
}
