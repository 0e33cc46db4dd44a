using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// MP_REACH_NLRI (RFC 4760 s3): the family, next hop and reachable NLRI of a non-IPv4-unicast
/// (or any) family.
/// <code>
/// +---------------------------------------------------------+
/// | Address Family Identifier (2 octets)                    |
/// | Subsequent Address Family Identifier (1 octet)          |
/// | Length of Next Hop Network Address (1 octet)            |
/// | Network Address of Next Hop (variable)                  |
/// | Reserved (1 octet) (RFC 2858: number of SNPAs)          |
/// | Network Layer Reachability Information (variable)       |
/// +---------------------------------------------------------+
/// </code>
/// The NLRI bytes are handed out undecoded with their absolute offset; the NLRI decoders read them.
/// </summary>
public readonly ref struct MpReachNlri
{
    private const string Where = "MP_REACH_NLRI";
    private const int RouteDistinguisherLength = 8;

    /// <summary>The address family of the next hop and NLRI.</summary>
    public AfiSafi Family { get; init; }

    /// <summary>The (global) next hop; unset when the length is none this decoder knows (see <see cref="NextHopBytes"/>).</summary>
    public IpAddr NextHop { get; init; }

    /// <summary>The IPv6 link-local next hop of a 32- or 48-octet next hop (RFC 2545 s3), else unset.</summary>
    public IpAddr LinkLocalNextHop { get; init; }

    /// <summary>The next hop field as sent (including VPN route distinguishers).</summary>
    public ReadOnlySpan<byte> NextHopBytes { get; init; }

    /// <summary>The NLRI bytes, undecoded.</summary>
    public ReadOnlySpan<byte> Nlri { get; init; }

    /// <summary>Absolute offset of the first NLRI byte.</summary>
    public int NlriOffset { get; init; }

    /// <summary>
    /// Decodes the attribute value. Fails (RFC 7606 s5.3 and s7.11: the attribute cannot be
    /// located or its family is unusable, which costs the whole UPDATE) when the fixed fields, the
    /// next hop or the SNPAs run past the value.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> value, int baseOffset, out MpReachNlri result, out DecodeError error)
    {
        result = default;
        var r = new WireReader(value, baseOffset);
        if (!MultiprotocolFamily.TryRead(ref r, Where, out var family, out error))
        {
            return false;
        }

        var nhLengthOffset = r.Offset;
        if (!r.TryReadByte(out var nhLength))
        {
            error = new DecodeError(DecodeErrorCode.Truncated, nhLengthOffset, Where);
            return false;
        }

        if (!r.TryReadBytes(nhLength, out var nh))
        {
            error = new DecodeError(DecodeErrorCode.BadLength, nhLengthOffset, Where);
            return false;
        }

        var reservedOffset = r.Offset;
        if (!r.TryReadByte(out var snpaCount))
        {
            error = new DecodeError(DecodeErrorCode.Truncated, reservedOffset, Where);
            return false;
        }

        // RFC 4760 made this octet reserved, but RFC 2858 speakers put the SNPA count here:
        // skip them so the NLRI start where the sender meant.
        for (var i = 0; i < snpaCount; i++)
        {
            var snpaOffset = r.Offset;
            if (!r.TryReadByte(out var semiOctets) || !r.TrySkip((semiOctets + 1) / 2))
            {
                error = new DecodeError(DecodeErrorCode.Truncated, snpaOffset, Where);
                return false;
            }
        }

        DecodeNextHop(nh, out var global, out var linkLocal);
        result = new MpReachNlri
        {
            Family = family,
            NextHop = global,
            LinkLocalNextHop = linkLocal,
            NextHopBytes = nh,
            NlriOffset = r.Offset,
            Nlri = r.RemainingSpan,
        };
        return true;
    }

    /// <summary>
    /// Decodes a next hop by its length alone, which covers every family: plain IPv4/IPv6 (4, 16),
    /// IPv6 global + link-local (32, RFC 2545), VPN with an 8-octet zero RD before each address
    /// (12, 24, 48; RFC 4364, RFC 4659), and the cross-family next hops of RFC 8950 (an IPv4 next
    /// hop for IPv6 NLRI and the reverse), whose lengths are the same. Other lengths stay raw.
    /// </summary>
    internal static void DecodeNextHop(ReadOnlySpan<byte> nh, out IpAddr global, out IpAddr linkLocal)
    {
        linkLocal = default;
        switch (nh.Length)
        {
            case 4:
                global = IpAddr.FromV4(nh);
                break;
            case 16:
                global = IpAddr.FromV6(nh);
                break;
            case 32:
                global = IpAddr.FromV6(nh[..16]);
                linkLocal = IpAddr.FromV6(nh[16..]);
                break;
            case RouteDistinguisherLength + 4:
                global = IpAddr.FromV4(nh[RouteDistinguisherLength..]);
                break;
            case RouteDistinguisherLength + 16:
                global = IpAddr.FromV6(nh[RouteDistinguisherLength..]);
                break;
            case 2 * (RouteDistinguisherLength + 16):
                global = IpAddr.FromV6(nh.Slice(RouteDistinguisherLength, 16));
                linkLocal = IpAddr.FromV6(nh[(RouteDistinguisherLength + 16 + RouteDistinguisherLength)..]);
                break;
            default:
                global = default;
                break;
        }
    }
}
