using System.Text.Json;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmond.Output;

/// <summary>Path attributes (RFC 4271 s5 and extensions) as flat JSON fields.</summary>
internal static class AttributesJson
{
    public static void WriteFields(Utf8JsonWriter json, in PathAttributes attributes)
    {
        if (attributes.HasOrigin)
        {
            json.WriteString("origin", attributes.Origin switch
            {
                BgpOrigin.Igp => "igp",
                BgpOrigin.Egp => "egp",
                _ => "incomplete",
            });
        }

        var asPath = attributes.AsPath;
        if (asPath.IsPresent)
        {
            Span<uint> asns = asPath.AsnCount <= 256 ? stackalloc uint[asPath.AsnCount] : new uint[asPath.AsnCount];
            var n = asPath.CopyAsns(asns);
            json.WriteStartArray("as_path");
            foreach (var asn in asns[..n])
            {
                json.WriteNumberValue(asn);
            }

            json.WriteEndArray();
            json.WriteString("as_path_text", asPath.ToString());
        }

        if (attributes.HasMed)
        {
            json.WriteNumber("med", attributes.Med);
        }

        if (attributes.HasLocalPref)
        {
            json.WriteNumber("local_pref", attributes.LocalPref);
        }

        if (attributes.AtomicAggregate)
        {
            json.WriteBoolean("atomic_aggregate", true);
        }

        if (attributes.HasAggregator)
        {
            json.WriteNumber("aggregator_asn", attributes.AggregatorAs);
            RouteJson.WriteIfSet(json, "aggregator_address", attributes.AggregatorAddress);
        }

        if (attributes.HasOriginatorId)
        {
            json.WriteString("originator_id", IpAddr.FromV4(attributes.OriginatorId).ToString());
        }

        WriteList(json, "cluster_list", attributes.ClusterList, 4, static v => IpAddr.FromV4(v).ToString());
        WriteList(json, "communities", attributes.Communities, 4, static v => new Community(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(v)).ToString());
        WriteList(json, "extended_communities", attributes.ExtendedCommunities, 8, static v => new ExtendedCommunity(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(v)).ToString());
        WriteList(json, "large_communities", attributes.LargeCommunities, 12, static v => LargeCommunity.Read(v).ToString());
        WriteUnknown(json, attributes);
    }

    private delegate string Formatter(ReadOnlySpan<byte> value);

    private static void WriteList(Utf8JsonWriter json, string name, ReadOnlySpan<byte> values, int size, Formatter format)
    {
        if (values.IsEmpty)
        {
            return;
        }

        json.WriteStartArray(name);
        for (var i = 0; i + size <= values.Length; i += size)
        {
            json.WriteStringValue(format(values.Slice(i, size)));
        }

        json.WriteEndArray();
    }

    /// <summary>The attributes <see cref="PathAttributes"/> decodes into fields; any other is written raw.</summary>
    private static bool IsDecoded(PathAttributeType type) => type is PathAttributeType.Origin or PathAttributeType.AsPath
        or PathAttributeType.NextHop or PathAttributeType.MultiExitDisc or PathAttributeType.LocalPref
        or PathAttributeType.AtomicAggregate or PathAttributeType.Aggregator or PathAttributeType.Communities
        or PathAttributeType.OriginatorId or PathAttributeType.ClusterList or PathAttributeType.MpReachNlri
        or PathAttributeType.MpUnreachNlri or PathAttributeType.ExtendedCommunities or PathAttributeType.As4Path
        or PathAttributeType.As4Aggregator or PathAttributeType.Ipv6ExtendedCommunities
        or PathAttributeType.LargeCommunities or PathAttributeType.Otc;

    private static void WriteUnknown(Utf8JsonWriter json, in PathAttributes attributes)
    {
        if (attributes.UnknownCount == 0)
        {
            return;
        }

        json.WriteStartArray("other_attributes");
        var reader = new PathAttributeReader(attributes.Raw, 0);
        while (reader.TryRead(out var attribute, out _))
        {
            if (!IsDecoded((PathAttributeType)attribute.TypeCode))
            {
                json.WriteStartObject();
                json.WriteNumber("type", attribute.TypeCode);
                json.WriteNumber("flags", (byte)attribute.Flags);
                json.WriteString("value", Convert.ToHexStringLower(attribute.Value));
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }
}
