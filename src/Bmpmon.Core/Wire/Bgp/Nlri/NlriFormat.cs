using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>How the NLRI of a family are laid out on the wire.</summary>
internal enum NlriFormat : byte
{
    /// <summary>Length in bits, then the prefix bytes (RFC 4271 section 4.3, RFC 4760 section 5).</summary>
    Prefix,

    /// <summary>Length in bits, label fields, then the prefix (RFC 8277 section 2).</summary>
    Labeled,

    /// <summary>Length in bits, label fields, an 8-byte RD, then the prefix (RFC 4364 section 4.3.4).</summary>
    Vpn,

    /// <summary>Route type, length in bytes, then the route (RFC 7432 section 7).</summary>
    Evpn,

    /// <summary>Not decoded here: the whole field is one opaque NLRI.</summary>
    Opaque,
}

/// <summary>Maps a family to its <see cref="NlriFormat"/>.</summary>
internal static class NlriFormats
{
    public static NlriFormat Of(AfiSafi family)
    {
        if (family.Afi is Afi.Ipv4 or Afi.Ipv6)
        {
            return family.Safi switch
            {
                Safi.Unicast or Safi.Multicast => NlriFormat.Prefix,
                Safi.LabeledUnicast => NlriFormat.Labeled,

                // SAFI 129 (multicast VPN routes, RFC 6513 section 5.1.1) uses the SAFI 128 encoding.
                Safi.MplsVpn or Safi.MulticastMplsVpn => NlriFormat.Vpn,
                _ => NlriFormat.Opaque,
            };
        }

        return family.Afi == Afi.L2vpn && family.Safi == Safi.Evpn ? NlriFormat.Evpn : NlriFormat.Opaque;
    }
}
