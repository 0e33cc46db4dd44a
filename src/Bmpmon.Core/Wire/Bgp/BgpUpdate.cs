using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>
/// The body of a BGP UPDATE message (RFC 4271 s4.3), after the 19-octet BGP header, split into
/// its three variable parts without decoding them:
/// <code>
/// +-----------------------------------------------------+
/// |   Withdrawn Routes Length (2 octets)                |
/// |   Withdrawn Routes (variable)                       |
/// |   Total Path Attribute Length (2 octets)            |
/// |   Path Attributes (variable)                        |
/// |   Network Layer Reachability Information (variable) |
/// +-----------------------------------------------------+
/// </code>
/// Each part comes with its absolute offset in the BMP message, for the NLRI and attribute decoders.
/// </summary>
public readonly ref struct BgpUpdate
{
    private const string Where = "BGP UPDATE";

    /// <summary>The Withdrawn Routes field (IPv4 unicast prefixes).</summary>
    public ReadOnlySpan<byte> WithdrawnRoutes { get; init; }

    /// <summary>Absolute offset of <see cref="WithdrawnRoutes"/>.</summary>
    public int WithdrawnRoutesOffset { get; init; }

    /// <summary>The Path Attributes field.</summary>
    public ReadOnlySpan<byte> PathAttributes { get; init; }

    /// <summary>Absolute offset of <see cref="PathAttributes"/>.</summary>
    public int PathAttributesOffset { get; init; }

    /// <summary>The NLRI field (IPv4 unicast prefixes): whatever follows the attributes.</summary>
    public ReadOnlySpan<byte> Nlri { get; init; }

    /// <summary>Absolute offset of <see cref="Nlri"/>.</summary>
    public int NlriOffset { get; init; }

    /// <summary>True for the minimum-length UPDATE: nothing withdrawn, no attributes, no NLRI.</summary>
    public bool IsEmpty => WithdrawnRoutes.IsEmpty && PathAttributes.IsEmpty && Nlri.IsEmpty;

    /// <summary>
    /// Splits an UPDATE body whose first byte sits at <paramref name="baseOffset"/> in the BMP
    /// message. Fails when a length field runs past the body (RFC 4271 s6.3: malformed attribute
    /// list), with the offset of that length field.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, int baseOffset, out BgpUpdate update, out DecodeError error)
    {
        update = default;
        error = default;
        var r = new WireReader(body, baseOffset);

        var withdrawnLengthOffset = r.Offset;
        if (!r.TryReadUInt16(out var withdrawnLength))
        {
            error = new DecodeError(DecodeErrorCode.Truncated, withdrawnLengthOffset, Where);
            return false;
        }

        var withdrawnOffset = r.Offset;
        if (!r.TryReadBytes(withdrawnLength, out var withdrawn))
        {
            error = new DecodeError(DecodeErrorCode.BadLength, withdrawnLengthOffset, Where);
            return false;
        }

        var attributesLengthOffset = r.Offset;
        if (!r.TryReadUInt16(out var attributesLength))
        {
            error = new DecodeError(DecodeErrorCode.Truncated, attributesLengthOffset, Where);
            return false;
        }

        var attributesOffset = r.Offset;
        if (!r.TryReadBytes(attributesLength, out var attributes))
        {
            error = new DecodeError(DecodeErrorCode.BadLength, attributesLengthOffset, Where);
            return false;
        }

        update = new BgpUpdate
        {
            WithdrawnRoutes = withdrawn,
            WithdrawnRoutesOffset = withdrawnOffset,
            PathAttributes = attributes,
            PathAttributesOffset = attributesOffset,
            NlriOffset = r.Offset,
            Nlri = r.RemainingSpan,
        };
        return true;
    }
}
