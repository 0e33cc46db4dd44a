using System.Buffers.Binary;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>
/// The 19-byte header of every BGP message (RFC 4271 s4.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// +                           Marker (16 bytes of ones)           +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Length               |      Type     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly struct BgpMessageHeader
{
    /// <summary>Size of the header on the wire.</summary>
    public const int Size = 19;

    /// <summary>Size of the marker.</summary>
    public const int MarkerSize = 16;

    private const int LengthOffset = 16;

    /// <summary>Length of the whole message, header included: 19 to 4096, or up to 65535 with RFC 8654 extended messages.</summary>
    public ushort Length { get; }

    /// <summary>The message type; unknown values are kept.</summary>
    public BgpMessageType Type { get; }

    private BgpMessageHeader(ushort length, BgpMessageType type)
    {
        Length = length;
        Type = type;
    }

    /// <summary>True when <paramref name="bytes"/> starts with the 16-byte all-ones marker.</summary>
    public static bool StartsWithMarker(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= MarkerSize && bytes[..MarkerSize].IndexOfAnyExcept((byte)0xFF) < 0;

    /// <summary>
    /// Reads and checks the header: the marker must be all ones (<see cref="DecodeErrorCode.BadValue"/>),
    /// the length at least 19 (<see cref="DecodeErrorCode.BadLength"/>) and within
    /// <paramref name="bgpMessage"/> (<see cref="DecodeErrorCode.Truncated"/>). The 4096-byte limit of
    /// RFC 4271 is not enforced because RFC 8654 lifts it and BMP carries what the session negotiated.
    /// </summary>
    /// <param name="bgpMessage">Bytes starting at the marker; may extend past the message.</param>
    /// <param name="baseOffset">Absolute offset of the first byte within the BMP message.</param>
    /// <param name="header">The header when true.</param>
    /// <param name="error">The failure when false.</param>
    public static bool TryRead(ReadOnlySpan<byte> bgpMessage, int baseOffset, out BgpMessageHeader header, out DecodeError error)
    {
        header = default;
        if (bgpMessage.Length < Size)
        {
            error = new DecodeError(DecodeErrorCode.Truncated, baseOffset + bgpMessage.Length, "BGP message header");
            return false;
        }

        if (!StartsWithMarker(bgpMessage))
        {
            error = new DecodeError(DecodeErrorCode.BadValue, baseOffset, "BGP message marker");
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(bgpMessage[LengthOffset..]);
        if (length < Size)
        {
            error = new DecodeError(DecodeErrorCode.BadLength, baseOffset + LengthOffset, "BGP message length");
            return false;
        }

        if (length > bgpMessage.Length)
        {
            error = new DecodeError(DecodeErrorCode.Truncated, baseOffset + LengthOffset, "BGP message length");
            return false;
        }

        header = new BgpMessageHeader(length, (BgpMessageType)bgpMessage[LengthOffset + 2]);
        error = default;
        return true;
    }
}
