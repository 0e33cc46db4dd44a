using Bmpmon.Core.Storage;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Decoding.BmpBuilder;

namespace Bmpmon.Tests.Storage;

/// <summary>The keyed ids of path attribute sets, and the SipHash-2-4 under them.</summary>
public sealed class AttributeSetIdTests
{
    private static readonly AttributeIdKey Key = new(0x0706050403020100, 0x0f0e0d0c0b0a0908);
    private static readonly IpAddr NextHopA = IpAddr.FromV4(0xC0000201);
    private static readonly IpAddr NextHopB = IpAddr.FromV4(0xC0000202);

    [Fact]
    public void SipHash24_gives_the_reference_outputs()
    {
        // The SipHash paper's key 00..0f: its Appendix A example (the 15 bytes 00..0e) and the reference implementation's empty-message vector.
        var message = Enumerable.Range(0, 15).Select(i => (byte)i).ToArray();
        Assert.Equal(0xa129ca6149be45e5UL, SipHash.Hash24(Key.K0, Key.K1, message));
        Assert.Equal(0x726fdb47dd0e0e31UL, SipHash.Hash24(Key.K0, Key.K1, []));
    }

    [Fact]
    public void The_key_is_read_little_endian_from_its_16_bytes()
    {
        Assert.Equal(Key, AttributeIdKey.FromBytes(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray()));
        Assert.Throws<ArgumentException>(() => AttributeIdKey.FromBytes(new byte[15]));
    }

    [Fact]
    public void An_id_depends_on_the_attributes_the_next_hops_and_the_key_but_not_on_the_nlri()
    {
        byte[] attributes = [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)];
        var id = Id(Key, attributes, NextHopA);
        Assert.NotEqual(0UL, id);
        Assert.Equal(id, Id(Key, attributes, NextHopA));
        Assert.NotEqual(id, Id(Key, attributes, NextHopB));
        Assert.NotEqual(id, Id(Key, [.. Origin(), .. AsPath4(65001, 65003), .. NextHop(192, 0, 2, 1)], NextHopA));
        Assert.NotEqual(id, Id(Key with { K1 = Key.K1 + 1 }, attributes, NextHopA));

        // MP_REACH_NLRI carries NLRI: two UPDATEs that differ only there share the set.
        var v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        Assert.Equal(
            Id(Key, [.. Origin(), .. AsPath4(65001), .. MpReach(2, 1, v6, [32, 0x20, 0x01, 0x0d, 0xb8])], NextHopA),
            Id(Key, [.. Origin(), .. AsPath4(65001), .. MpReach(2, 1, v6, [48, 0x20, 0x01, 0x0d, 0xb8, 0, 1])], NextHopA));
    }

    [Fact]
    public void The_bytes_hashed_are_pinned_so_stored_sets_keep_their_ids()
    {
        // The canonical form written out by hand: ASN width, each attribute as flags, type, a
        // two-byte length and the value, then the next hop and the link-local one (family byte and
        // 16 address bytes each). A change to it would give every stored set a second id.
        byte[] canonical =
        [
            4,
            0x40, 1, 0, 1, 0,
            0x40, 2, 0, 10, 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea,
            0x40, 3, 0, 4, 192, 0, 2, 1,
            4, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        var expected = SipHash.Hash24(Key.K0, Key.K1, canonical);
        Assert.Equal(expected, Id(Key, [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)], IpAddr.FromV4(0xC0000201)));
    }

    [Fact]
    public void The_key_never_shows_in_text()
    {
        Assert.DoesNotContain("506", Key.ToString(), StringComparison.Ordinal);
        Assert.Equal("AttributeIdKey { redacted }", Key.ToString());
    }

    [Fact]
    public void The_next_hop_of_the_previous_route_is_remembered_and_a_new_update_starts_afresh()
    {
        var ids = new AttributeSetId(Key);
        Reset(ids, [.. Origin(), .. AsPath4(65001)]);
        var a = ids.For(NextHopA, default);
        var b = ids.For(NextHopB, default);
        Assert.NotEqual(a, b);
        Assert.Equal(a, ids.For(NextHopA, default));

        Reset(ids, [.. Origin(), .. AsPath4(65009)]);
        Assert.NotEqual(a, ids.For(NextHopA, default));
    }

    private static ulong Id(AttributeIdKey key, byte[] attributes, IpAddr nextHop)
    {
        var ids = new AttributeSetId(key);
        Reset(ids, attributes);
        return ids.For(nextHop, default);
    }

    private static void Reset(AttributeSetId ids, byte[] attributes)
    {
        Assert.True(PathAttributes.TryParse(attributes, 0, fourOctetAsn: true, out var parsed, out _));
        ids.Reset(parsed);
    }
}
