using System.Runtime.CompilerServices;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// The family that opens MP_REACH_NLRI and MP_UNREACH_NLRI (RFC 4760 s3, s4): a 2-octet Address
/// Family Identifier, then a 1-octet Subsequent Address Family Identifier.
/// </summary>
internal static class MultiprotocolFamily
{
    /// <summary>Reads the AFI and SAFI; fails as truncated, at the attribute value's start, when the 3 octets are not there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ref WireReader reader, string where, out AfiSafi family, out DecodeError error)
    {
        var start = reader.Offset;
        if (!reader.TryReadUInt16(out var afi) || !reader.TryReadByte(out var safi))
        {
            family = default;
            error = new DecodeError(DecodeErrorCode.Truncated, start, where);
            return false;
        }

        family = new AfiSafi((Afi)afi, (Safi)safi);
        error = default;
        return true;
    }
}
