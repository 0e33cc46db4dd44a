using System.Buffers.Binary;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// The header every BMP message starts with (RFC 7854 s4.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+
/// |    Version    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        Message Length                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Msg. Type   |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
/// <param name="Version">3 (RFC 7854) or 4 (draft-ietf-grow-bmp-tlv).</param>
/// <param name="Length">Length of the whole message, header included.</param>
/// <param name="Type">The message type; values above 6 are possible on the wire and are kept.</param>
public readonly record struct BmpCommonHeader(byte Version, uint Length, BmpMessageType Type)
{
    /// <summary>Size of the common header on the wire.</summary>
    public const int Size = 6;

    /// <summary>RFC 7854's version.</summary>
    public const byte Version3 = 3;

    /// <summary>The version of draft-ietf-grow-bmp-tlv, which appends TLVs to the v3 messages.</summary>
    public const byte Version4 = 4;

    /// <summary>
    /// Reads the header from the first <see cref="Size"/> bytes. Returns false with
    /// <see cref="DecodeErrorCode.Truncated"/> when fewer bytes are given, and with
    /// <see cref="DecodeErrorCode.BadVersion"/> or <see cref="DecodeErrorCode.BadLength"/> when the
    /// header cannot start a BMP message: after either, the stream's framing is lost.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, uint maxLength, out BmpCommonHeader header, out DecodeError error)
    {
        header = default;
        if (buffer.Length < Size)
        {
            error = new DecodeError(DecodeErrorCode.Truncated, buffer.Length, "BMP common header");
            return false;
        }

        var version = buffer[0];
        if (version is not (Version3 or Version4))
        {
            error = new DecodeError(DecodeErrorCode.BadVersion, 0, "BMP common header");
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(buffer[1..]);
        if (length < Size || length > maxLength)
        {
            error = new DecodeError(DecodeErrorCode.BadLength, 1, "BMP common header");
            return false;
        }

        header = new BmpCommonHeader(version, length, (BmpMessageType)buffer[5]);
        error = default;
        return true;
    }
}
