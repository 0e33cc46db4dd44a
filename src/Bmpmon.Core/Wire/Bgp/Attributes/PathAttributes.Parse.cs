using System.Buffers.Binary;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

public ref partial struct PathAttributes
{
    /// <summary>AS_TRANS (RFC 6793 s9): the 2-octet stand-in for a 4-octet ASN.</summary>
    public const ushort AsTrans = 23456;

    private const string Where = "path attributes";
    private const PathAttributeFlags OptionalTransitive = PathAttributeFlags.Optional | PathAttributeFlags.Transitive;

    /// <summary>
    /// Decodes an attribute block (the Path Attributes field of an UPDATE, RFC 4271 s4.3).
    /// <paramref name="fourOctetAsn"/> says whether AS_PATH and AGGREGATOR carry 4-octet ASNs
    /// (both OPENs had the RFC 6793 capability and the BMP peer header's A flag is clear).
    /// Returns false, with the error, when an attribute runs past the block, when MP_REACH_NLRI or
    /// MP_UNREACH_NLRI is broken or repeated (RFC 7606 s3(g), s5.3, s7.11): the UPDATE is then unusable.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> attributes, int baseOffset, bool fourOctetAsn, out PathAttributes result, out DecodeError error)
    {
        // A fresh value, not "result = default" then field stores: with that shape the .NET
        // 10.0.12 optimizing JIT kept the previous call's Count in a reused variable (ReparseTests).
        result = new PathAttributes { Raw = attributes, RawOffset = baseOffset };
        Span<ulong> seen = stackalloc ulong[4];
        seen.Clear();
        ReadOnlySpan<byte> asPath = default, as4Path = default, as4Aggregator = default;
        bool hasAsPath = false, hasAs4Path = false;

        var reader = new PathAttributeReader(attributes, baseOffset);
        while (reader.TryRead(out var a, out error))
        {
            result.Count++;
            ref var word = ref seen[a.TypeCode >> 6];
            var bit = 1UL << (a.TypeCode & 63);
            if ((word & bit) != 0)
            {
                if (a.Type is PathAttributeType.MpReachNlri or PathAttributeType.MpUnreachNlri)
                {
                    error = new DecodeError(DecodeErrorCode.BadValue, a.Offset, "repeated MP_REACH_NLRI or MP_UNREACH_NLRI");
                    return false;
                }

                // RFC 7606 s3(g): keep the first occurrence, discard the others.
                result.MalformedCount++;
                continue;
            }

            word |= bit;
            result.CheckFlags(a);

            var v = a.Value;
            switch (a.Type)
            {
                case PathAttributeType.Origin:
                    if (v.Length == 1 && v[0] <= (byte)BgpOrigin.Incomplete)
                    {
                        result.HasOrigin = true;
                        result.Origin = (BgpOrigin)v[0];
                    }
                    else
                    {
                        result.Malformed(treatAsWithdraw: true); // RFC 7606 s7.1
                    }

                    break;
                case PathAttributeType.AsPath:
                    hasAsPath = true;
                    asPath = v;
                    break;
                case PathAttributeType.NextHop:
                    if (v.Length == 4)
                    {
                        result.NextHop = IpAddr.FromV4(v);
                    }
                    else
                    {
                        result.Malformed(treatAsWithdraw: true); // RFC 7606 s7.3
                    }

                    break;
                case PathAttributeType.MultiExitDisc:
                    result.HasMed = result.TryUInt32(v, out var med); // RFC 7606 s7.4
                    result.Med = med;
                    break;
                case PathAttributeType.LocalPref:
                    result.HasLocalPref = result.TryUInt32(v, out var localPref); // RFC 7606 s7.5
                    result.LocalPref = localPref;
                    break;
                case PathAttributeType.AtomicAggregate:
                    if (v.IsEmpty)
                    {
                        result.AtomicAggregate = true;
                    }
                    else
                    {
                        result.Malformed(treatAsWithdraw: false); // RFC 7606 s7.6
                    }

                    break;
                case PathAttributeType.Aggregator:
                    // The length tells the ASN width (6 or 8, RFC 7606 s7.7); trusting it rather
                    // than the negotiated width survives exporters that disagree with their OPENs.
                    if (v.Length is 6 or 8)
                    {
                        var asnSize = v.Length - 4;
                        result.HasAggregator = true;
                        result.AggregatorAs = AsPath.ReadAsn(v, asnSize);
                        result.AggregatorAddress = IpAddr.FromV4(v[asnSize..]);
                    }
                    else
                    {
                        result.Malformed(treatAsWithdraw: false);
                    }

                    break;
                case PathAttributeType.Communities:
                    result.Communities = result.List(v, 4); // RFC 7606 s7.8
                    break;
                case PathAttributeType.OriginatorId:
                    result.HasOriginatorId = result.TryUInt32(v, out var originator); // RFC 7606 s7.9
                    result.OriginatorId = originator;
                    break;
                case PathAttributeType.ClusterList:
                    result.ClusterList = result.List(v, 4); // RFC 7606 s7.10
                    break;
                case PathAttributeType.MpReachNlri:
                    if (!MpReachNlri.TryParse(v, a.ValueOffset, out var reach, out error))
                    {
                        return false;
                    }

                    result.HasMpReach = true;
                    result.MpReach = reach;
                    break;
                case PathAttributeType.MpUnreachNlri:
                    if (!MpUnreachNlri.TryParse(v, a.ValueOffset, out var unreach, out error))
                    {
                        return false;
                    }

                    result.HasMpUnreach = true;
                    result.MpUnreach = unreach;
                    break;
                case PathAttributeType.ExtendedCommunities:
                    result.ExtendedCommunities = result.List(v, 8); // RFC 7606 s7.14
                    break;
                case PathAttributeType.As4Path:
                    hasAs4Path = true;
                    as4Path = v;
                    break;
                case PathAttributeType.As4Aggregator:
                    if (v.Length == 8)
                    {
                        as4Aggregator = v;
                    }
                    else
                    {
                        result.Malformed(treatAsWithdraw: false); // RFC 6793 s6
                    }

                    break;
                case PathAttributeType.Ipv6ExtendedCommunities:
                    result.Ipv6ExtendedCommunities = result.List(v, 20); // RFC 7606 s7.15
                    break;
                case PathAttributeType.LargeCommunities:
                    result.LargeCommunities = result.List(v, 12); // RFC 8092 s6
                    break;
                case PathAttributeType.Otc:
                    result.HasOtc = result.TryUInt32(v, out var otc); // RFC 9234 s5
                    result.Otc = otc;
                    break;
                default:
                    result.UnknownCount++;
                    break;
            }
        }

        if (error.IsError)
        {
            return false;
        }

        result.ResolveAsPath(hasAsPath, asPath, fourOctetAsn, hasAs4Path, as4Path, as4Aggregator);
        return true;
    }

    /// <summary>
    /// Builds <see cref="AsPath"/> and applies RFC 6793 s4.2.3 once every attribute is known:
    /// AS4_PATH and AS4_AGGREGATOR only matter when the sender used 2-octet ASNs, and are ignored
    /// when AGGREGATOR names a real (non AS_TRANS) AS while AS4_AGGREGATOR is present.
    /// </summary>
    private void ResolveAsPath(bool hasAsPath, ReadOnlySpan<byte> asPath, bool fourOctetAsn, bool hasAs4Path, ReadOnlySpan<byte> as4Path, ReadOnlySpan<byte> as4Aggregator)
    {
        var asnSize = fourOctetAsn ? 4 : 2;
        if (hasAsPath && !AsPath.IsWellFormed(asPath, asnSize))
        {
            if (AsPath.IsWellFormed(asPath, 6 - asnSize))
            {
                asnSize = 6 - asnSize;
                AsnSizeMismatch = true;
            }
            else
            {
                Malformed(treatAsWithdraw: true); // RFC 7606 s7.2
                hasAsPath = false;
            }
        }

        if (asnSize == 4)
        {
            // RFC 6793 s4.2.2: a NEW speaker ignores AS4_PATH and AS4_AGGREGATOR from a NEW speaker.
            AsPath = hasAsPath ? new AsPath(asPath, 4, default) : default;
            return;
        }

        if (hasAs4Path && !AsPath.IsWellFormed(as4Path, 4))
        {
            Malformed(treatAsWithdraw: false); // RFC 6793 s6 / RFC 7606 s7: attribute discard
            as4Path = default;
        }

        if (!as4Aggregator.IsEmpty && HasAggregator)
        {
            if (AggregatorAs != AsTrans)
            {
                as4Path = default;
            }
            else
            {
                AggregatorAs = BinaryPrimitives.ReadUInt32BigEndian(as4Aggregator);
                AggregatorAddress = IpAddr.FromV4(as4Aggregator[4..]);
            }
        }

        AsPath = hasAsPath ? new AsPath(asPath, 2, as4Path) : default;
    }

    /// <summary>
    /// RFC 7606 s3(c): well-known attributes must be transitive and not optional; optional ones
    /// must have the Optional bit. A conflict means treat-as-withdraw. The value is still decoded,
    /// so the monitoring output shows what the router sent; the orchestrator acts on
    /// <see cref="TreatAsWithdraw"/>. The Transitive bit of optional attributes is not checked:
    /// it is what differs between implementations of new attributes, and nothing here depends on it.
    /// </summary>
    private void CheckFlags(in PathAttribute a)
    {
        var agree = a.Type switch
        {
            PathAttributeType.Origin or PathAttributeType.AsPath or PathAttributeType.NextHop
                or PathAttributeType.LocalPref or PathAttributeType.AtomicAggregate =>
                (a.Flags & OptionalTransitive) == PathAttributeFlags.Transitive,
            PathAttributeType.MultiExitDisc or PathAttributeType.Aggregator or PathAttributeType.Communities
                or PathAttributeType.OriginatorId or PathAttributeType.ClusterList or PathAttributeType.MpReachNlri
                or PathAttributeType.MpUnreachNlri or PathAttributeType.ExtendedCommunities or PathAttributeType.As4Path
                or PathAttributeType.As4Aggregator or PathAttributeType.LargeCommunities => a.IsOptional,
            _ => true,
        };
        if (!agree)
        {
            Malformed(treatAsWithdraw: true);
        }
    }

    private void Malformed(bool treatAsWithdraw)
    {
        MalformedCount++;
        TreatAsWithdraw |= treatAsWithdraw;
    }

    private bool TryUInt32(ReadOnlySpan<byte> v, out uint value)
    {
        if (v.Length == 4)
        {
            value = BinaryPrimitives.ReadUInt32BigEndian(v);
            return true;
        }

        value = 0;
        Malformed(treatAsWithdraw: true);
        return false;
    }

    /// <summary>A list attribute must be a non-zero multiple of its element size (RFC 7606 s7.8, s7.10, s7.14, s7.15; RFC 8092 s6).</summary>
    private ReadOnlySpan<byte> List(ReadOnlySpan<byte> v, int elementSize)
    {
        if (v.Length > 0 && v.Length % elementSize == 0)
        {
            return v;
        }

        Malformed(treatAsWithdraw: true);
        return default;
    }
}
