namespace Bmpmon.Core.Wire.Iana;

/// <summary>BGP capability codes (RFC 5492, IANA "Capability Codes").</summary>
public enum CapabilityCode : byte
{
    /// <summary>Multiprotocol Extensions (RFC 2858 / RFC 4760): AFI (2), reserved (1), SAFI (1).</summary>
    Multiprotocol = 1,

    /// <summary>Route Refresh (RFC 2918).</summary>
    RouteRefresh = 2,

    /// <summary>Outbound Route Filtering (RFC 5291).</summary>
    OutboundRouteFiltering = 3,

    /// <summary>Extended Next Hop Encoding (RFC 8950).</summary>
    ExtendedNextHop = 5,

    /// <summary>BGP Extended Message (RFC 8654).</summary>
    ExtendedMessage = 6,

    /// <summary>BGPsec (RFC 8205).</summary>
    BgpSec = 7,

    /// <summary>Multiple Labels (RFC 8277).</summary>
    MultipleLabels = 8,

    /// <summary>BGP Role (RFC 9234).</summary>
    BgpRole = 9,

    /// <summary>Graceful Restart (RFC 4724).</summary>
    GracefulRestart = 64,

    /// <summary>Support for 4-octet AS number (RFC 6793).</summary>
    FourOctetAs = 65,

    /// <summary>Dynamic Capability (draft-ietf-idr-dynamic-cap).</summary>
    DynamicCapability = 67,

    /// <summary>Multisession BGP (draft).</summary>
    Multisession = 68,

    /// <summary>ADD-PATH (RFC 7911).</summary>
    AddPath = 69,

    /// <summary>Enhanced Route Refresh (RFC 7313).</summary>
    EnhancedRouteRefresh = 70,

    /// <summary>Long-Lived Graceful Restart (RFC 9494).</summary>
    LongLivedGracefulRestart = 71,

    /// <summary>Routing Policy Distribution (draft).</summary>
    RoutingPolicyDistribution = 72,

    /// <summary>FQDN (draft-walton-bgp-hostname-capability): hostname and domain name.</summary>
    Fqdn = 73,

    /// <summary>BFD (draft).</summary>
    Bfd = 74,

    /// <summary>Software Version (draft-abraitis-bgp-version-capability).</summary>
    SoftwareVersion = 75,

    /// <summary>Paths-Limit (draft-abraitis-idr-addpath-paths-limit).</summary>
    PathsLimit = 76,

    /// <summary>Pre-standard Cisco Route Refresh (deprecated, still sent by Cisco and others).</summary>
    RouteRefreshCisco = 128,

    /// <summary>Pre-standard Cisco Outbound Route Filtering (deprecated).</summary>
    OutboundRouteFilteringCisco = 130,
}
