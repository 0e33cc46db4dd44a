using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// A Peer Up Notification (RFC 7854 s4.10): per-peer header, then
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Local Address (16 bytes)                      |
/// ~                                                               ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Local Port            |        Remote Port            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Sent OPEN Message                          |
/// ~                                                               ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Received OPEN Message                        |
/// ~                                                               ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Information (variable)                        |
/// ~                                                               ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Loc-RIB peers (RFC 9069 s5.2) send a zero local address and ports and fabricated OPENs; their
/// Information TLVs usually carry the VRF/Table Name (type 3). In BMP v4 the Information TLVs keep
/// the index-less layout (as the fixtures and Wireshark show).
/// </summary>
public readonly ref struct PeerUpNotification
{
    private const int LocalAddressOffset = BmpCommonHeader.Size + PerPeerHeader.Size;
    private const int SentOpenOffset = LocalAddressOffset + 20;

    private readonly ReadOnlySpan<byte> _information;
    private readonly int _informationOffset;

    private PeerUpNotification(PerPeerHeader peer, IpAddr localAddress, ushort localPort, ushort remotePort, BgpOpenMessage sent, BgpOpenMessage received, ReadOnlySpan<byte> information, int informationOffset)
    {
        Peer = peer;
        LocalAddress = localAddress;
        LocalPort = localPort;
        RemotePort = remotePort;
        SentOpen = sent;
        ReceivedOpen = received;
        _information = information;
        _informationOffset = informationOffset;
    }

    /// <summary>The per-peer header.</summary>
    public PerPeerHeader Peer { get; }

    /// <summary>The router's address on the session (absent for a zero-filled Loc-RIB Peer Up).</summary>
    public IpAddr LocalAddress { get; }

    /// <summary>The router's TCP port.</summary>
    public ushort LocalPort { get; }

    /// <summary>The peer's TCP port.</summary>
    public ushort RemotePort { get; }

    /// <summary>The OPEN the router sent.</summary>
    public BgpOpenMessage SentOpen { get; }

    /// <summary>The OPEN the router received from the peer.</summary>
    public BgpOpenMessage ReceivedOpen { get; }

    /// <summary>The raw Information TLV bytes.</summary>
    public ReadOnlySpan<byte> Information => _information;

    /// <summary>A reader over the Information TLVs (validated by <see cref="TryParse"/>); types in <see cref="Iana.PeerUpTlvType"/>.</summary>
    public BmpTlvReader GetInformationTlvs() => new(_information, _informationOffset);

    /// <summary>Parses a whole Peer Up message: both OPENs with their capabilities and the Information TLVs.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out PeerUpNotification notification, out DecodeError error)
    {
        notification = default;
        if (!BmpMessageBody.TryOpenPeer(message, out _, out var peer, out var body, out error))
        {
            return false;
        }

        if (!body.TryReadBytes(16, out var local) || !body.TryReadUInt16(out var localPort) || !body.TryReadUInt16(out var remotePort))
        {
            error = new DecodeError(DecodeErrorCode.Truncated, LocalAddressOffset, "peer up local address and ports");
            return false;
        }

        var allZero = local.IndexOfAnyExcept((byte)0) < 0;
        IpAddr localAddress = peer.IsLocRib && allZero
            ? default
            : peer.IsIpv6 || local[..12].IndexOfAnyExcept((byte)0) >= 0 ? IpAddr.FromV6(local) : IpAddr.FromV4(local[12..]);

        var rest = body.RemainingSpan;
        if (!BgpOpenMessage.TryParse(rest, SentOpenOffset, out var sent, out error))
        {
            return false;
        }

        var receivedOffset = SentOpenOffset + sent.MessageLength;
        rest = rest[sent.MessageLength..];
        if (!BgpOpenMessage.TryParse(rest, receivedOffset, out var received, out error))
        {
            return false;
        }

        var informationOffset = receivedOffset + received.MessageLength;
        var information = rest[received.MessageLength..];
        if (!BmpMessageBody.TryValidateTlvs(information, informationOffset, out error))
        {
            return false;
        }

        notification = new PeerUpNotification(peer, localAddress, localPort, remotePort, sent, received, information, informationOffset);
        return true;
    }
}
