using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

public sealed class Rfc4271PathAttributeTests
{
    [Fact]
    public void Realistic_block_decodes_every_attribute()
    {
        var block = Realistic();
        Assert.True(PathAttributes.TryParse(block, Base, fourOctetAsn: true, out var pa, out var error), error.ToString());
        Assert.Equal(8, pa.Count);
        Assert.True(pa.HasOrigin);
        Assert.Equal(BgpOrigin.Igp, pa.Origin);
        Assert.Equal(IpAddr.FromV4(0xC0000201), pa.NextHop);
        Assert.True(pa.HasMed);
        Assert.Equal(100u, pa.Med);
        Assert.True(pa.HasLocalPref);
        Assert.Equal(200u, pa.LocalPref);
        Assert.False(pa.AtomicAggregate);
        Assert.False(pa.HasAggregator);
        Assert.True(pa.AsPath.IsPresent);
        Assert.Equal(5, pa.AsPath.Length);
        Assert.Equal(65001u, pa.AsPath.FirstAs);
        Assert.Equal(65005u, pa.AsPath.OriginAs);
        Assert.Equal("65001 65002 65003 65004 65005", pa.AsPath.ToString());
        Assert.Equal(4, pa.CommunityList.Count);
        Assert.Equal(2, pa.ExtendedCommunityList.Count);
        Assert.Equal(1, pa.LargeCommunityList.Count);
        Assert.Equal(0, pa.UnknownCount);
        Assert.Equal(0, pa.MalformedCount);
        Assert.False(pa.TreatAsWithdraw);
        Assert.False(pa.AsnSizeMismatch);
        Assert.Equal(block.Length, pa.Raw.Length);
    }

    [Theory]
    [InlineData("40 01 01 00", BgpOrigin.Igp)]
    [InlineData("40 01 01 01", BgpOrigin.Egp)]
    [InlineData("40 01 01 02", BgpOrigin.Incomplete)]
    public void Origin_values(string hex, BgpOrigin expected)
    {
        Assert.True(PathAttributes.TryParse(Hex(hex), Base, true, out var pa, out _));
        Assert.True(pa.HasOrigin);
        Assert.Equal(expected, pa.Origin);
    }

    [Fact]
    public void Atomic_aggregate_and_two_octet_aggregator()
    {
        var block = Block(Hex("40 06 00"), Hex("C0 07 06 FDE8 C0000202"));
        Assert.True(PathAttributes.TryParse(block, Base, false, out var pa, out _));
        Assert.True(pa.AtomicAggregate);
        Assert.True(pa.HasAggregator);
        Assert.Equal(65000u, pa.AggregatorAs);
        Assert.Equal(IpAddr.FromV4(0xC0000202), pa.AggregatorAddress);
    }

    [Fact]
    public void Four_octet_aggregator()
    {
        Assert.True(PathAttributes.TryParse(Hex("C0 07 08 FA56EA00 C0000202"), Base, true, out var pa, out _));
        Assert.Equal(4200000000u, pa.AggregatorAs);
        Assert.Equal(IpAddr.FromV4(0xC0000202), pa.AggregatorAddress);
    }

    [Fact]
    public void Originator_id_and_cluster_list()
    {
        var block = Block(Hex("80 09 04 0A000001"), Hex("80 0A 08 0A000002 0A000003"));
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out _));
        Assert.True(pa.HasOriginatorId);
        Assert.Equal(0x0A000001u, pa.OriginatorId);
        Assert.Equal(8, pa.ClusterList.Length);
    }

    [Fact]
    public void Only_to_customer()
    {
        Assert.True(PathAttributes.TryParse(Hex("C0 23 04 0000FDE8"), Base, true, out var pa, out _));
        Assert.True(pa.HasOtc);
        Assert.Equal(65000u, pa.Otc);
    }

    [Fact]
    public void Empty_as_path_is_valid_for_ibgp()
    {
        Assert.True(PathAttributes.TryParse(Block(Origin, Hex("40 02 00")), Base, true, out var pa, out _));
        Assert.True(pa.AsPath.IsPresent);
        Assert.Equal(0, pa.AsPath.Length);
        Assert.Equal(0, pa.AsPath.AsnCount);
        Assert.Equal(0u, pa.AsPath.OriginAs);
        Assert.Equal(string.Empty, pa.AsPath.ToString());
        Assert.Equal(0, pa.MalformedCount);
    }

    [Fact]
    public void Absent_as_path_is_not_present()
    {
        Assert.True(PathAttributes.TryParse(Origin, Base, true, out var pa, out _));
        Assert.False(pa.AsPath.IsPresent);
    }

    [Fact]
    public void As_set_counts_one_and_formats_in_braces()
    {
        // SEQUENCE 65001 65002, SET {65003,65004}
        var block = Hex("40 02 14 02 02 0000FDE9 0000FDEA 01 02 0000FDEB 0000FDEC");
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out _));
        Assert.Equal(3, pa.AsPath.Length);
        Assert.Equal(4, pa.AsPath.AsnCount);
        Assert.Equal(0u, pa.AsPath.OriginAs);
        Assert.Equal(65001u, pa.AsPath.FirstAs);
        Assert.Equal("65001 65002 {65003,65004}", pa.AsPath.ToString());
        Span<uint> asns = stackalloc uint[4];
        Assert.Equal(4, pa.AsPath.CopyAsns(asns));
        Assert.Equal([65001u, 65002u, 65003u, 65004u], asns.ToArray());
    }

    [Fact]
    public void Two_octet_as_path()
    {
        Assert.True(PathAttributes.TryParse(Hex("40 02 06 02 02 FDE9 FDEA"), Base, false, out var pa, out _));
        Assert.Equal(2, pa.AsPath.AsnSize);
        Assert.Equal("65001 65002", pa.AsPath.ToString());
        Assert.False(pa.AsnSizeMismatch);
    }

    [Fact]
    public void As_path_in_the_other_width_is_decoded_and_flagged()
    {
        // Negotiated 4-octet, but the exporter sent 2-octet ASNs (and the reverse).
        Assert.True(PathAttributes.TryParse(Hex("40 02 06 02 02 FDE9 FDEA"), Base, true, out var pa, out _));
        Assert.True(pa.AsnSizeMismatch);
        Assert.Equal(2, pa.AsPath.AsnSize);
        Assert.Equal("65001 65002", pa.AsPath.ToString());

        Assert.True(PathAttributes.TryParse(Hex("40 02 0A 02 02 0000FDE9 0000FDEA"), Base, false, out pa, out _));
        Assert.True(pa.AsnSizeMismatch);
        Assert.Equal(4, pa.AsPath.AsnSize);
        Assert.Equal("65001 65002", pa.AsPath.ToString());
        Assert.Equal(0, pa.MalformedCount);
    }

    [Fact]
    public void As_path_format_reports_a_short_buffer()
    {
        Assert.True(PathAttributes.TryParse(AsPath4, Base, true, out var pa, out _));
        Span<char> small = stackalloc char[10];
        Assert.False(pa.AsPath.TryFormat(small, out var n));
        Assert.Equal(0, n);
    }

    [Fact]
    public void Unknown_attribute_is_counted_and_kept_raw_with_its_flags()
    {
        // Optional transitive partial (0xE0), type 99.
        var block = Block(Origin, Hex("E0 63 03 010203"), NextHop);
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out _));
        Assert.Equal(1, pa.UnknownCount);
        Assert.Equal(0, pa.MalformedCount);

        var reader = new PathAttributeReader(pa.Raw, pa.RawOffset);
        var found = false;
        while (reader.TryRead(out var a, out _))
        {
            if (a.TypeCode == 99)
            {
                found = true;
                Assert.Equal(PathAttributeFlags.Optional | PathAttributeFlags.Transitive | PathAttributeFlags.Partial, a.Flags);
                Assert.True(a.IsPartial);
                Assert.Equal(Base + 4, a.Offset);
                Assert.Equal(Base + 7, a.ValueOffset);
                Assert.Equal(new byte[] { 1, 2, 3 }, a.Value.ToArray());
            }
        }

        Assert.True(found);
    }

    [Fact]
    public void Extended_length_flag_on_a_short_attribute()
    {
        var block = Block(Hex("50 01 0001 02"), Hex("D0 08 0004 FDE80064"));
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out _));
        Assert.Equal(BgpOrigin.Incomplete, pa.Origin);
        Assert.Equal("65000:100", pa.CommunityList[0].ToString());

        var reader = new PathAttributeReader(block, Base);
        Assert.True(reader.TryRead(out var a, out _));
        Assert.True(a.IsExtendedLength);
        Assert.Equal(Base + 4, a.ValueOffset);
    }

    [Fact]
    public void Maximum_length_attributes()
    {
        // Unknown optional attribute of 65535 octets, then LARGE_COMMUNITY of 65532 (5461 x 12).
        var unknown = Attr(0xD0, 200, new byte[65535]);
        var large = new byte[65532];
        large[^1] = 7;
        var block = Block(unknown, Attr(0xD0, (byte)PathAttributeType.LargeCommunities, large));
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out var error), error.ToString());
        Assert.Equal(1, pa.UnknownCount);
        Assert.Equal(5461, pa.LargeCommunityList.Count);
        Assert.Equal(7u, pa.LargeCommunityList[5460].LocalData2);

        var reader = new PathAttributeReader(block, Base);
        Assert.True(reader.TryRead(out var a, out _));
        Assert.Equal(65535, a.Value.Length);
    }

    [Fact]
    public void Attribute_running_past_the_block_fails_with_the_length_offset()
    {
        var block = Block(Origin, Hex("40 03 05 C0000201"));
        Assert.False(PathAttributes.TryParse(block, Base, true, out _, out var error));
        Assert.Equal(DecodeErrorCode.Truncated, error.Code);
        Assert.Equal(Base + 6, error.Offset);
    }

    [Fact]
    public void Truncated_attribute_header_fails_at_the_attribute()
    {
        var block = Block(Origin, Hex("40"));
        Assert.False(PathAttributes.TryParse(block, Base, true, out _, out var error));
        Assert.Equal(DecodeErrorCode.Truncated, error.Code);
        Assert.Equal(Base + 4, error.Offset);

        var reader = new PathAttributeReader(Hex("50 02 00"), Base);
        Assert.False(reader.TryRead(out _, out error));
        Assert.Equal(Base + 2, error.Offset);
        Assert.False(reader.TryRead(out _, out error));
        Assert.False(error.IsError);
    }

    [Fact]
    public void Truncation_at_every_offset_never_throws()
    {
        var block = Block(Realistic(), Hex("80 0E 1C 0002 01 10 20010DB8000000000000000000000001 00 30 20010DB80001"));
        for (var cut = 0; cut <= block.Length; cut++)
        {
            var ok = PathAttributes.TryParse(block.AsSpan(0, cut), Base, true, out var pa, out var error);
            if (ok)
            {
                _ = pa.AsPath.ToString();
                _ = pa.AsPath.AsnCount;
            }
            else
            {
                Assert.True(error.IsError);
                Assert.InRange(error.Offset, Base, Base + cut);
            }
        }

        Assert.True(PathAttributes.TryParse(block, Base, true, out var full, out _));
        Assert.True(full.HasMpReach);
    }

    [Fact]
    public void Decoding_allocates_nothing()
    {
        var block = Realistic();
        var sink = 0L;
        for (var i = 0; i < 100; i++)
        {
            sink += Decode(block);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            sink += Decode(block);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sink);

        static long Decode(byte[] block)
        {
            if (!PathAttributes.TryParse(block, Base, true, out var pa, out _))
            {
                return 0;
            }

            long sum = pa.Med + pa.LocalPref + pa.AsPath.Length + pa.AsPath.OriginAs;
            foreach (var segment in pa.AsPath)
            {
                foreach (var asn in segment)
                {
                    sum += asn;
                }
            }

            foreach (var c in pa.CommunityList)
            {
                sum += c.Value;
            }

            foreach (var c in pa.ExtendedCommunityList)
            {
                sum += (long)(c.Value & 0xFFFF);
            }

            foreach (var c in pa.LargeCommunityList)
            {
                sum += c.LocalData2;
            }

            return sum;
        }
    }
}
