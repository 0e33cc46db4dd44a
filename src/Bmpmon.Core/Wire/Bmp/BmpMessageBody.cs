using System.Buffers.Binary;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>Shared opening of a BMP message for the body parsers: version, length cut, per-peer header.</summary>
internal static class BmpMessageBody
{
    /// <summary>
    /// Checks the common header that the framer already validated (version, length within the span)
    /// and returns a reader over the body, cut to the announced length.
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> message, out byte version, out WireReader body, out DecodeError error)
    {
        body = default;
        version = 0;
        if (message.Length < BmpCommonHeader.Size)
        {
            error = new DecodeError(DecodeErrorCode.Truncated, message.Length, "BMP common header");
            return false;
        }

        version = message[0];
        if (version is not (BmpCommonHeader.Version3 or BmpCommonHeader.Version4))
        {
            error = new DecodeError(DecodeErrorCode.BadVersion, 0, "BMP common header");
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(message[1..]);
        if (length < BmpCommonHeader.Size)
        {
            error = new DecodeError(DecodeErrorCode.BadLength, 1, "BMP common header");
            return false;
        }

        if (length > (uint)message.Length)
        {
            error = new DecodeError(DecodeErrorCode.Truncated, 1, "BMP message length");
            return false;
        }

        body = new WireReader(message[BmpCommonHeader.Size..(int)length], BmpCommonHeader.Size);
        error = default;
        return true;
    }

    /// <summary>Like <see cref="TryOpen"/>, then reads the per-peer header.</summary>
    public static bool TryOpenPeer(ReadOnlySpan<byte> message, out byte version, out PerPeerHeader peer, out WireReader body, out DecodeError error)
    {
        if (!TryOpen(message, out version, out body, out error))
        {
            peer = default;
            return false;
        }

        return PerPeerHeader.TryRead(ref body, out peer, out error);
    }

    /// <summary>Walks TLVs once so that a later <see cref="BmpTlvReader"/> over the same bytes cannot fail.</summary>
    public static bool TryValidateTlvs(ReadOnlySpan<byte> tlvs, int offset, out DecodeError error)
    {
        var reader = new BmpTlvReader(tlvs, offset);
        while (reader.TryRead(out _, out error))
        {
        }

        return !error.IsError;
    }
}
