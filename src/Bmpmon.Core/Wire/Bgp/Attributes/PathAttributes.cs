using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// The decoded path attributes of one UPDATE (RFC 4271 s4.3, s5): scalars decoded, lists kept as
/// spans over the message, so decoding allocates nothing. Attributes without a field here are
/// counted in <see cref="UnknownCount"/> and can be re-read from <see cref="Raw"/> with a
/// <see cref="PathAttributeReader"/>. Content errors follow RFC 7606: the attribute is dropped
/// and counted (<see cref="MalformedCount"/>), and <see cref="TreatAsWithdraw"/> is set where
/// s7 asks for it; only errors that make the block or an MP attribute unusable fail the parse.
/// </summary>
public ref partial struct PathAttributes
{
    /// <summary>The whole attribute block, to re-iterate with <see cref="PathAttributeReader"/>.</summary>
    public ReadOnlySpan<byte> Raw { get; private set; }

    /// <summary>Absolute offset of the attribute block.</summary>
    public int RawOffset { get; private set; }

    /// <summary>Number of attributes in the block (including duplicates, unknown and malformed ones).</summary>
    public int Count { get; private set; }

    /// <summary>True when ORIGIN was present and valid.</summary>
    public bool HasOrigin { get; private set; }

    /// <summary>ORIGIN (RFC 4271 s5.1.1).</summary>
    public BgpOrigin Origin { get; private set; }

    /// <summary>The AS path, merged with AS4_PATH where RFC 6793 asks for it.</summary>
    public AsPath AsPath { get; private set; }

    /// <summary>
    /// True when AS_PATH did not parse with the negotiated ASN width but did with the other, and
    /// was decoded with that one (exporters that disagree with their own OPENs; Wireshark guesses the same way).
    /// </summary>
    public bool AsnSizeMismatch { get; private set; }

    /// <summary>NEXT_HOP (RFC 4271 s5.1.3), the IPv4 next hop of the classic NLRI field; unset when absent.</summary>
    public IpAddr NextHop { get; private set; }

    /// <summary>True when MULTI_EXIT_DISC was present and valid.</summary>
    public bool HasMed { get; private set; }

    /// <summary>MULTI_EXIT_DISC (RFC 4271 s5.1.4).</summary>
    public uint Med { get; private set; }

    /// <summary>True when LOCAL_PREF was present and valid.</summary>
    public bool HasLocalPref { get; private set; }

    /// <summary>LOCAL_PREF (RFC 4271 s5.1.5).</summary>
    public uint LocalPref { get; private set; }

    /// <summary>ATOMIC_AGGREGATE (RFC 4271 s5.1.6) was present.</summary>
    public bool AtomicAggregate { get; private set; }

    /// <summary>True when AGGREGATOR was present and valid.</summary>
    public bool HasAggregator { get; private set; }

    /// <summary>The aggregating AS (from AS4_AGGREGATOR when AGGREGATOR carried AS_TRANS, RFC 6793 s4.2.3).</summary>
    public uint AggregatorAs { get; private set; }

    /// <summary>The aggregating router's IPv4 address.</summary>
    public IpAddr AggregatorAddress { get; private set; }

    /// <summary>True when ORIGINATOR_ID was present and valid.</summary>
    public bool HasOriginatorId { get; private set; }

    /// <summary>ORIGINATOR_ID (RFC 4456 s8): the router ID of the route's originator in the local AS.</summary>
    public uint OriginatorId { get; private set; }

    /// <summary>CLUSTER_LIST (RFC 4456 s8): 4-octet cluster IDs.</summary>
    public ReadOnlySpan<byte> ClusterList { get; private set; }

    /// <summary>COMMUNITIES (RFC 1997): 4 octets each; see <see cref="CommunityList"/>.</summary>
    public ReadOnlySpan<byte> Communities { get; private set; }

    /// <summary>EXTENDED COMMUNITIES (RFC 4360): 8 octets each; see <see cref="ExtendedCommunityList"/>.</summary>
    public ReadOnlySpan<byte> ExtendedCommunities { get; private set; }

    /// <summary>LARGE_COMMUNITY (RFC 8092): 12 octets each; see <see cref="LargeCommunityList"/>.</summary>
    public ReadOnlySpan<byte> LargeCommunities { get; private set; }

    /// <summary>IPv6 Address Specific Extended Communities (RFC 5701): 20 octets each.</summary>
    public ReadOnlySpan<byte> Ipv6ExtendedCommunities { get; private set; }

    /// <summary>True when Only to Customer was present and valid.</summary>
    public bool HasOtc { get; private set; }

    /// <summary>Only to Customer (RFC 9234 s4): the AS that set it.</summary>
    public uint Otc { get; private set; }

    /// <summary>True when MP_REACH_NLRI was present.</summary>
    public bool HasMpReach { get; private set; }

    /// <summary>MP_REACH_NLRI (RFC 4760 s3).</summary>
    public MpReachNlri MpReach { get; private set; }

    /// <summary>True when MP_UNREACH_NLRI was present.</summary>
    public bool HasMpUnreach { get; private set; }

    /// <summary>MP_UNREACH_NLRI (RFC 4760 s4).</summary>
    public MpUnreachNlri MpUnreach { get; private set; }

    /// <summary>Attributes decoded into no field here (kept raw in <see cref="Raw"/>).</summary>
    public int UnknownCount { get; private set; }

    /// <summary>Attributes found malformed and handled per RFC 7606 (discarded, duplicates, flag conflicts).</summary>
    public int MalformedCount { get; private set; }

    /// <summary>True when RFC 7606 asks to treat this UPDATE's routes as withdrawn.</summary>
    public bool TreatAsWithdraw { get; private set; }

    /// <summary>The communities as values.</summary>
    public readonly AttributeValueList<Community> CommunityList => new(Communities);

    /// <summary>The extended communities as values.</summary>
    public readonly AttributeValueList<ExtendedCommunity> ExtendedCommunityList => new(ExtendedCommunities);

    /// <summary>The large communities as values.</summary>
    public readonly AttributeValueList<LargeCommunity> LargeCommunityList => new(LargeCommunities);

    /// <summary>The IPv6 address specific extended communities as values.</summary>
    public readonly AttributeValueList<Ipv6ExtendedCommunity> Ipv6ExtendedCommunityList => new(Ipv6ExtendedCommunities);
}
