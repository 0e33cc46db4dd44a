using System.Buffers.Binary;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>Field readers shared by the EVPN route types. Callers have checked the lengths.</summary>
internal static class EvpnFields
{
    public static uint ReadUInt32(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt32BigEndian(bytes);

    public static uint ReadUInt24(ReadOnlySpan<byte> bytes) => (uint)(bytes[0] << 16 | bytes[1] << 8 | bytes[2]);

    /// <summary>A 0-, 4- or 16-byte address field: default (no address), IPv4 or IPv6.</summary>
    public static IpAddr ReadAddress(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => IpAddr.FromV4(bytes),
        16 => IpAddr.FromV6(bytes),
        _ => default,
    };

    /// <summary>
    /// The "IP Address Length (1) | Originating Router's IP Address" tail of route types 3 and 4
    /// (RFC 7432 sections 7.3, 7.4): the length is 32 or 128 and must end the route exactly.
    /// </summary>
    public static bool TryOriginatorIp(
        ReadOnlySpan<byte> value,
        int valueOffset,
        int fixedBeforeIp,
        string where,
        out byte ipLength,
        out IpAddr ip,
        out DecodeError error)
    {
        ipLength = 0;
        ip = default;
        if (value.Length < fixedBeforeIp)
        {
            error = new DecodeError(DecodeErrorCode.BadLength, valueOffset - 1, where);
            return false;
        }

        ipLength = value[fixedBeforeIp - 1];
        if (ipLength is not (32 or 128))
        {
            error = new DecodeError(DecodeErrorCode.BadValue, valueOffset + fixedBeforeIp - 1, where);
            return false;
        }

        if (value.Length != fixedBeforeIp + ipLength / 8)
        {
            error = new DecodeError(DecodeErrorCode.BadLength, valueOffset - 1, where);
            return false;
        }

        ip = ReadAddress(value[fixedBeforeIp..]);
        error = default;
        return true;
    }
}
