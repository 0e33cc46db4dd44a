using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>Recognises the End-of-RIB marker (RFC 4724 s2).</summary>
public static class EndOfRib
{
    /// <summary>
    /// True when the UPDATE is an End-of-RIB marker: for IPv4 unicast the minimum-length UPDATE
    /// (nothing withdrawn, no attributes, no NLRI); for any other family an UPDATE whose only
    /// content is an MP_UNREACH_NLRI with no withdrawn routes, which gives the family.
    /// </summary>
    public static bool TryGetFamily(in BgpUpdate update, in PathAttributes attributes, out AfiSafi family)
    {
        family = default;
        if (!update.WithdrawnRoutes.IsEmpty || !update.Nlri.IsEmpty)
        {
            return false;
        }

        if (update.PathAttributes.IsEmpty)
        {
            family = AfiSafi.Ipv4Unicast;
            return true;
        }

        if (attributes.Count == 1 && attributes.HasMpUnreach && attributes.MpUnreach.Nlri.IsEmpty)
        {
            family = attributes.MpUnreach.Family;
            return true;
        }

        return false;
    }
}
