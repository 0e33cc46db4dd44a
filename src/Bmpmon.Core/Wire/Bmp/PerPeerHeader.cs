using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// The per-peer header that follows the common header in every message about one peer
/// (RFC 7854 s4.2; RFC 8671 s4 adds the O flag; RFC 9069 s4 adds the Loc-RIB peer type).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Peer Type   |  Peer Flags   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Peer Distinguisher (present based on peer type)       |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Peer Address (16 bytes)                       |
/// ~                                                               ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           Peer AS                             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Peer BGP ID                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Timestamp (seconds)                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Timestamp (microseconds)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly struct PerPeerHeader
{
    /// <summary>Size of the per-peer header on the wire.</summary>
    public const int Size = 42;

    /// <summary>Offset of the per-peer header in a BMP message (right after the common header).</summary>
    public const int MessageOffset = BmpCommonHeader.Size;

    private const int AddressOffset = 10;
    private const int AddressSize = 16;

    /// <summary>The peer type; values past 3 are kept as sent.</summary>
    public BmpPeerType PeerType { get; }

    /// <summary>The raw flags; see <see cref="PeerFlags"/> for how bit 0x80 depends on the peer type.</summary>
    public PeerFlags Flags { get; }

    /// <summary>The peer distinguisher (an RD for RD instance peers, zero for global peers), as a big-endian integer.</summary>
    public ulong Distinguisher { get; }

    /// <summary>
    /// The peer address: IPv6 when the V flag is set, else IPv4 from the last 4 bytes. Loc-RIB peers
    /// (RFC 9069 s4.1) send zeros: the address is then absent (<see cref="IpAddr.HasValue"/> false).
    /// </summary>
    public IpAddr PeerAddress { get; }

    /// <summary>The peer's AS number (4 bytes on the wire; a 2-byte AS is zero-extended).</summary>
    public uint PeerAs { get; }

    /// <summary>The peer's BGP identifier, as a big-endian integer.</summary>
    public uint PeerBgpId { get; }

    /// <summary>When the routes were received or the event happened: seconds since the Unix epoch (0 if unavailable).</summary>
    public uint TimestampSeconds { get; }

    /// <summary>Microseconds past <see cref="TimestampSeconds"/>.</summary>
    public uint TimestampMicroseconds { get; }

    private PerPeerHeader(BmpPeerType type, PeerFlags flags, ulong distinguisher, IpAddr address, uint peerAs, uint bgpId, uint seconds, uint microseconds)
    {
        PeerType = type;
        Flags = flags;
        Distinguisher = distinguisher;
        PeerAddress = address;
        PeerAs = peerAs;
        PeerBgpId = bgpId;
        TimestampSeconds = seconds;
        TimestampMicroseconds = microseconds;
    }

    /// <summary>True for the Loc-RIB instance peer type (RFC 9069).</summary>
    public bool IsLocRib => PeerType == BmpPeerType.LocRibInstance;

    /// <summary>V flag: the peer address is IPv6 (never for Loc-RIB peers, whose bit 0x80 is F).</summary>
    public bool IsIpv6 => !IsLocRib && (Flags & PeerFlags.Ipv6) != 0;

    /// <summary>L flag: post-policy routes (never for Loc-RIB peers).</summary>
    public bool IsPostPolicy => !IsLocRib && (Flags & PeerFlags.PostPolicy) != 0;

    /// <summary>A flag: the AS_PATH in this peer's UPDATEs uses 2-byte ASNs (never for Loc-RIB peers).</summary>
    public bool IsLegacyAsPath => !IsLocRib && (Flags & PeerFlags.LegacyAsPath) != 0;

    /// <summary>O flag (RFC 8671): routes from the Adj-RIB-Out (never for Loc-RIB peers).</summary>
    public bool IsAdjRibOut => !IsLocRib && (Flags & PeerFlags.AdjRibOut) != 0;

    /// <summary>F flag (RFC 9069 s4.2): the Loc-RIB is filtered (Loc-RIB peers only).</summary>
    public bool IsFiltered => IsLocRib && (Flags & PeerFlags.Filtered) != 0;

    /// <summary>The RIB the routes come from, from the peer type and the L and O flags.</summary>
    public BmpRib Rib => IsLocRib
        ? BmpRib.LocRib
        : IsAdjRibOut
            ? (IsPostPolicy ? BmpRib.AdjRibOutPost : BmpRib.AdjRibOutPre)
            : (IsPostPolicy ? BmpRib.PostPolicy : BmpRib.PrePolicy);

    /// <summary>
    /// Reads the 42-byte header. The only failure is <see cref="DecodeErrorCode.Truncated"/>:
    /// unknown peer types and reserved flags are kept, so a newer exporter still decodes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ref WireReader reader, out PerPeerHeader header, out DecodeError error)
    {
        var start = reader.Offset;
        if (!reader.TryReadBytes(Size, out var b))
        {
            header = default;
            error = new DecodeError(DecodeErrorCode.Truncated, start, "per-peer header");
            return false;
        }

        var type = (BmpPeerType)b[0];
        var flags = (PeerFlags)b[1];
        var distinguisher = BinaryPrimitives.ReadUInt64BigEndian(b[2..]);
        var addressBytes = b.Slice(AddressOffset, AddressSize);
        IpAddr address;
        if (type == BmpPeerType.LocRibInstance)
        {
            // RFC 9069 s4.1: zero-filled. Keep whatever a router put there, guessing the family.
            address = addressBytes.IndexOfAnyExcept((byte)0) < 0
                ? default
                : addressBytes[..12].IndexOfAnyExcept((byte)0) < 0 ? IpAddr.FromV4(addressBytes[12..]) : IpAddr.FromV6(addressBytes);
        }
        else
        {
            address = (flags & PeerFlags.Ipv6) != 0 ? IpAddr.FromV6(addressBytes) : IpAddr.FromV4(addressBytes[12..]);
        }

        var rest = b[(AddressOffset + AddressSize)..];
        header = new PerPeerHeader(
            type,
            flags,
            distinguisher,
            address,
            BinaryPrimitives.ReadUInt32BigEndian(rest),
            BinaryPrimitives.ReadUInt32BigEndian(rest[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(rest[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(rest[12..]));
        error = default;
        return true;
    }
}
