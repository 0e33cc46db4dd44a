using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Nlri.NlriTestSupport;

namespace Bmpmon.Tests.Wire.Bgp.Nlri;

/// <summary>RFC 4271 section 4.3 and RFC 4760 section 5: length-in-bits prefix encoding for unicast and multicast.</summary>
public sealed class Rfc4271PrefixTests
{
    [Fact]
    public void Ipv4_prefixes_of_several_lengths_decode_in_order_with_offsets_and_raw_bytes()
    {
        // 192.0.2.0/24, 0.0.0.0/0, 198.51.100.7/32, 10.0.0.0/8
        var (routes, error) = ReadAll("18 c00002  00  20 c6336407  08 0a", AfiSafi.Ipv4Unicast, baseOffset: 100);

        Assert.False(error.IsError);
        Assert.Equal(4, routes.Count);
        Assert.Equal(new IpPrefix(V4("192.0.2.0"), 24), routes[0].Prefix);
        Assert.Equal(new IpPrefix(V4("0.0.0.0"), 0), routes[1].Prefix);
        Assert.Equal(new IpPrefix(V4("198.51.100.7"), 32), routes[2].Prefix);
        Assert.Equal(new IpPrefix(V4("10.0.0.0"), 8), routes[3].Prefix);
        Assert.Equal([100, 104, 105, 110], routes.Select(r => r.Offset));
        Assert.Equal(["18c00002", "00", "20c6336407", "080a"], routes.Select(r => r.RawHex));
        Assert.All(routes, r => Assert.Equal(AfiSafi.Ipv4Unicast, r.Family));
        Assert.All(routes, r => Assert.False(r.HasPathId || r.HasRd || r.IsEvpn || r.IsOpaque || !r.Labels.IsEmpty));
        Assert.Equal("192.0.2.0/24", routes[0].Text);
    }

    [Fact]
    public void Ipv6_prefixes_128_64_and_0()
    {
        var (routes, error) = ReadAll(
            "80 20010db8000000000000000000000001  40 20010db800420000  00",
            AfiSafi.Ipv6Unicast);

        Assert.False(error.IsError);
        Assert.Equal(
            [new IpPrefix(V6("2001:db8::1"), 128), new IpPrefix(V6("2001:db8:42::"), 64), new IpPrefix(V6("::"), 0)],
            routes.Select(r => r.Prefix));
        Assert.True(routes[2].Prefix.Address.IsV6);
    }

    [Fact]
    public void Multicast_uses_the_same_encoding()
    {
        var route = Single("04 e0", Ipv4Multicast);
        Assert.Equal(new IpPrefix(V4("224.0.0.0"), 4), route.Prefix);
        Assert.Equal(Ipv4Multicast, route.Family);
    }

    [Fact]
    public void Ipv6_multicast_uses_the_same_encoding()
    {
        // ff00::/8, ff05::1:3/128, ::/0 (RFC 4760 s5, AFI 2 SAFI 2).
        var ipv6Multicast = new AfiSafi(Afi.Ipv6, Safi.Multicast);
        var (routes, error) = ReadAll("08 ff  80 ff050000000000000000000000010003  00", ipv6Multicast, baseOffset: 7);

        Assert.False(error.IsError);
        Assert.Equal(
            [new IpPrefix(V6("ff00::"), 8), new IpPrefix(V6("ff05::1:3"), 128), new IpPrefix(V6("::"), 0)],
            routes.Select(r => r.Prefix));
        Assert.Equal([7, 9, 26], routes.Select(r => r.Offset));
        Assert.All(routes, r => Assert.Equal(ipv6Multicast, r.Family));
        Assert.Equal("ipv6-multicast", ipv6Multicast.Name);
    }

    [Fact]
    public void Ipv6_multicast_prefix_longer_than_128_is_a_bad_value()
    {
        var (_, error) = ReadAll("81 ff050000000000000000000000010003", new AfiSafi(Afi.Ipv6, Safi.Multicast));
        Assert.Equal(new DecodeError(DecodeErrorCode.BadValue, 0, "NLRI prefix length"), error);
    }

    [Fact]
    public void Host_bits_past_the_length_are_kept_as_sent()
    {
        // /20 carries 3 bytes; the low nibble of the third is host bits: not masked.
        Assert.Equal(V4("192.0.255.0"), Single("14 c000ff", AfiSafi.Ipv4Unicast).Prefix.Address);
        Assert.Equal(V6("2001:db8:ff00::"), Single("24 20010db8ff", AfiSafi.Ipv6Unicast).Prefix.Address);
    }

    [Fact]
    public void Length_33_on_ipv4_is_bad_value_at_the_length_byte()
    {
        var error = ErrorOf("18 c00002  21 c0000201 00", AfiSafi.Ipv4Unicast, baseOffset: 50);
        Assert.Equal(new DecodeError(DecodeErrorCode.BadValue, 54, "NLRI prefix length"), error);
    }

    [Fact]
    public void Length_129_on_ipv6_is_bad_value()
    {
        var error = ErrorOf("81 " + new string('0', 34), AfiSafi.Ipv6Unicast);
        Assert.Equal(DecodeErrorCode.BadValue, error.Code);
        Assert.Equal(0, error.Offset);
    }

    [Fact]
    public void Truncated_prefix_is_truncated_at_the_first_missing_prefix_byte_field()
    {
        // Second NLRI says /24 but only two bytes follow.
        var (routes, error) = ReadAll("08 0a  18 c000", AfiSafi.Ipv4Unicast, baseOffset: 10);
        Assert.Single(routes);
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 13, "NLRI prefix"), error);
    }

    [Fact]
    public void Zero_length_field_yields_nothing_and_no_error()
    {
        var (routes, error) = ReadAll([], AfiSafi.Ipv4Unicast);
        Assert.Empty(routes);
        Assert.False(error.IsError);
        Assert.Equal(0, NlriEncoding.Count([], AfiSafi.Ipv4Unicast, addPath: false));
        Assert.True(NlriEncoding.Fits([], AfiSafi.Ipv4Unicast, addPath: true));
    }

    [Fact]
    public void Unknown_family_is_one_opaque_nlri_covering_the_whole_field()
    {
        var flowspec = new AfiSafi(Afi.Ipv4, Safi.FlowSpec);
        var (routes, error) = ReadAll("07 01 18 c00002 0381 06", flowspec, addPath: true, baseOffset: 30);

        Assert.False(error.IsError);
        var route = Assert.Single(routes);
        Assert.True(route.IsOpaque);
        Assert.False(route.HasPathId);
        Assert.Equal("070118c00002038106", route.RawHex);
        Assert.Equal(30, route.Offset);
        Assert.Equal(flowspec, route.Family);
        Assert.Equal(1, NlriEncoding.Count(Hex("0701"), flowspec, addPath: false));
        Assert.Empty(ReadAll([], flowspec).Routes);
    }

    [Fact]
    public void Decoding_1000_ipv4_and_1000_ipv6_routes_allocates_nothing()
    {
        var v4 = BuildV4(1000);
        var v6 = BuildV6(1000);

        // Warm up (JIT, tiering, static initialisers) before measuring; keep the best of a few runs
        // so a tier-up happening during one run is not counted as the decoder's.
        Assert.Equal(2000, DecodeAll(v4, v6, out _));
        var allocated = long.MaxValue;
        ulong checksum = 0;
        for (var run = 0; run < 5; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            DecodeAll(v4, v6, out checksum);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.NotEqual(0UL, checksum);
        Assert.Equal(0, allocated);
    }

    private static int DecodeAll(byte[] v4, byte[] v6, out ulong checksum)
    {
        var count = 0;
        checksum = 0;
        var r4 = new NlriReader(v4, 0, AfiSafi.Ipv4Unicast, addPath: false, isWithdrawal: false);
        while (r4.TryRead(out var n, out _))
        {
            checksum += (ulong)n.Prefix.Address.Value + n.Prefix.Length;
            count++;
        }

        var r6 = new NlriReader(v6, 0, AfiSafi.Ipv6Unicast, addPath: false, isWithdrawal: false);
        while (r6.TryRead(out var n, out _))
        {
            checksum += (ulong)n.Prefix.Address.Value + n.Prefix.Length;
            count++;
        }

        return count;
    }

    internal static byte[] BuildV4(int n)
    {
        var list = new List<byte>();
        for (var i = 0; i < n; i++)
        {
            var len = (byte)(8 + i % 25);
            list.Add(len);
            for (var b = 0; b < (len + 7) / 8; b++)
            {
                list.Add((byte)(i * 7 + b));
            }
        }

        return [.. list];
    }

    internal static byte[] BuildV6(int n)
    {
        var list = new List<byte>();
        for (var i = 0; i < n; i++)
        {
            var len = (byte)(16 + i % 113);
            list.Add(len);
            for (var b = 0; b < (len + 7) / 8; b++)
            {
                list.Add((byte)(i * 13 + b));
            }
        }

        return [.. list];
    }
}
