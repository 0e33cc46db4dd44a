namespace Bmpmon.Core.Wire.Iana;

/// <summary>BGP path attribute type codes (IANA "BGP Path Attributes" registry).</summary>
public enum PathAttributeType : byte
{
    /// <summary>ORIGIN (RFC 4271 s5.1.1).</summary>
    Origin = 1,

    /// <summary>AS_PATH (RFC 4271 s5.1.2).</summary>
    AsPath = 2,

    /// <summary>NEXT_HOP (RFC 4271 s5.1.3).</summary>
    NextHop = 3,

    /// <summary>MULTI_EXIT_DISC (RFC 4271 s5.1.4).</summary>
    MultiExitDisc = 4,

    /// <summary>LOCAL_PREF (RFC 4271 s5.1.5).</summary>
    LocalPref = 5,

    /// <summary>ATOMIC_AGGREGATE (RFC 4271 s5.1.6).</summary>
    AtomicAggregate = 6,

    /// <summary>AGGREGATOR (RFC 4271 s5.1.7).</summary>
    Aggregator = 7,

    /// <summary>COMMUNITIES (RFC 1997).</summary>
    Communities = 8,

    /// <summary>ORIGINATOR_ID (RFC 4456).</summary>
    OriginatorId = 9,

    /// <summary>CLUSTER_LIST (RFC 4456).</summary>
    ClusterList = 10,

    /// <summary>MP_REACH_NLRI (RFC 4760 s3).</summary>
    MpReachNlri = 14,

    /// <summary>MP_UNREACH_NLRI (RFC 4760 s4).</summary>
    MpUnreachNlri = 15,

    /// <summary>EXTENDED COMMUNITIES (RFC 4360).</summary>
    ExtendedCommunities = 16,

    /// <summary>AS4_PATH (RFC 6793).</summary>
    As4Path = 17,

    /// <summary>AS4_AGGREGATOR (RFC 6793).</summary>
    As4Aggregator = 18,

    /// <summary>PMSI_TUNNEL (RFC 6514).</summary>
    PmsiTunnel = 22,

    /// <summary>Tunnel Encapsulation (RFC 9012).</summary>
    TunnelEncapsulation = 23,

    /// <summary>Traffic Engineering (RFC 5543).</summary>
    TrafficEngineering = 24,

    /// <summary>IPv6 Address Specific Extended Community (RFC 5701).</summary>
    Ipv6ExtendedCommunities = 25,

    /// <summary>AIGP (RFC 7311).</summary>
    Aigp = 26,

    /// <summary>PE Distinguisher Labels (RFC 6514).</summary>
    PeDistinguisherLabels = 27,

    /// <summary>BGP-LS Attribute (RFC 9552).</summary>
    BgpLsAttribute = 29,

    /// <summary>LARGE_COMMUNITY (RFC 8092).</summary>
    LargeCommunities = 32,

    /// <summary>BGPsec_Path (RFC 8205).</summary>
    BgpsecPath = 33,

    /// <summary>Only to Customer (RFC 9234).</summary>
    Otc = 35,

    /// <summary>BGP Prefix-SID (RFC 8669).</summary>
    PrefixSid = 40,

    /// <summary>ATTR_SET (RFC 6368).</summary>
    AttrSet = 128,
}
