using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Decoding;

/// <summary>Where an NLRI came from inside its UPDATE (RFC 4271 s4.3, RFC 4760).</summary>
public enum NlriSource : byte
{
    /// <summary>The UPDATE's Withdrawn Routes field (IPv4 unicast).</summary>
    WithdrawnRoutes,

    /// <summary>The UPDATE's NLRI field (IPv4 unicast).</summary>
    Nlri,

    /// <summary>MP_REACH_NLRI.</summary>
    MpReach,

    /// <summary>MP_UNREACH_NLRI.</summary>
    MpUnreach,
}

/// <summary>What the decoder knows about one route besides its NLRI and the UPDATE's attributes.</summary>
/// <param name="IsWithdrawal">True for a withdrawn route.</param>
/// <param name="Source">The UPDATE field the NLRI came from.</param>
/// <param name="NextHop">The next hop that applies to the route (NEXT_HOP or MP_REACH_NLRI's); unset for withdrawals.</param>
/// <param name="LinkLocalNextHop">The IPv6 link-local next hop when MP_REACH_NLRI carries two addresses.</param>
public readonly record struct RouteInfo(bool IsWithdrawal, NlriSource Source, IpAddr NextHop, IpAddr LinkLocalNextHop);
