using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// MP_UNREACH_NLRI (RFC 4760 s4): the family and the withdrawn NLRI, handed out undecoded.
/// <code>
/// +---------------------------------------------------------+
/// | Address Family Identifier (2 octets)                    |
/// | Subsequent Address Family Identifier (1 octet)          |
/// | Withdrawn Routes (variable)                             |
/// +---------------------------------------------------------+
/// </code>
/// With no withdrawn routes it is the End-of-RIB marker of its family (RFC 4724 s2).
/// </summary>
public readonly ref struct MpUnreachNlri
{
    private const string Where = "MP_UNREACH_NLRI";

    /// <summary>The address family of the withdrawn NLRI.</summary>
    public AfiSafi Family { get; init; }

    /// <summary>The withdrawn NLRI bytes, undecoded.</summary>
    public ReadOnlySpan<byte> Nlri { get; init; }

    /// <summary>Absolute offset of the first NLRI byte.</summary>
    public int NlriOffset { get; init; }

    /// <summary>Decodes the attribute value; fails when it is shorter than the 3-octet AFI/SAFI.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, int baseOffset, out MpUnreachNlri result, out DecodeError error)
    {
        result = default;
        var r = new WireReader(value, baseOffset);
        if (!MultiprotocolFamily.TryRead(ref r, Where, out var family, out error))
        {
            return false;
        }

        result = new MpUnreachNlri
        {
            Family = family,
            NlriOffset = r.Offset,
            Nlri = r.RemainingSpan,
        };
        return true;
    }
}
