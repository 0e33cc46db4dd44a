using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Nlri.NlriTestSupport;

namespace Bmpmon.Tests.Wire.Bgp.Nlri;

/// <summary>RFC 8277 section 2: labeled unicast NLRI (SAFI 4), label fields up to the bottom-of-stack bit.</summary>
public sealed class Rfc8277LabeledUnicastTests
{
    [Fact]
    public void One_label_with_bottom_of_stack()
    {
        // Length 48 = 24 label bits + /24; label 16 (0x00010 << 4 | BoS) = 0x000101.
        var route = Single("30 000101 c00002", Ipv4Labeled);

        Assert.Equal(new IpPrefix(V4("192.0.2.0"), 24), route.Prefix);
        Assert.Equal(1, route.Labels.Count);
        Assert.Equal(16u, route.Labels[0]);
        Assert.True(route.Labels.IsBottomOfStack(0));
        Assert.Equal(0x000101u, route.Labels.RawEntry(0));
        Assert.False(route.HasRd);
        Assert.Equal("192.0.2.0/24 label=16", route.Text);
        Assert.Equal("16", route.Labels.ToString());
    }

    [Fact]
    public void Fixture_style_label_48041()
    {
        // 10.231.0.0/17 label=48041 (bottom) as in the oracle: 48041 = 0xbba9 -> entry 0x0bba91.
        var route = Single("29 0bba91 0ae780", Ipv4Labeled);
        Assert.Equal(new IpPrefix(V4("10.231.128.0"), 17), route.Prefix);
        Assert.Equal(48041u, route.Labels[0]);
    }

    [Fact]
    public void Two_and_three_label_stacks_stop_at_bottom_of_stack()
    {
        var two = Single("48 000100 000111 c00002", Ipv4Labeled);
        Assert.Equal(2, two.Labels.Count);
        Assert.Equal("16 17", two.Labels.ToString());
        Assert.False(two.Labels.IsBottomOfStack(0));
        Assert.Equal(new IpPrefix(V4("192.0.2.0"), 24), two.Prefix);

        // Third label carries traffic class 5 (0b101 in bits 1-3) and bottom of stack.
        var three = Single("60 000100 000110 00012b c00002", Ipv4Labeled);
        Assert.Equal(3, three.Labels.Count);
        Assert.Equal(18u, three.Labels[2]);
        Assert.Equal(5, three.Labels.TrafficClass(2));
        Assert.True(three.Labels.IsBottomOfStack(2));
        Assert.Equal(new IpPrefix(V4("192.0.2.0"), 24), three.Prefix);
    }

    [Fact]
    public void A_stack_deeper_than_four_is_consumed_and_the_first_four_kept()
    {
        // Five labels (120 bits) + /8: length 128.
        var (routes, error) = ReadAll("80 000100 000110 000120 000130 000141 0a  20 000101 0b", Ipv4Labeled);
        Assert.False(error.IsError);
        Assert.Equal(2, routes.Count);
        Assert.Equal(4, routes[0].Labels.Count);
        Assert.Equal(5, routes[0].Labels.WireCount);
        Assert.Equal(19u, routes[0].Labels[3]);
        Assert.Equal(new IpPrefix(V4("10.0.0.0"), 8), routes[0].Prefix);
        Assert.Throws<ArgumentOutOfRangeException>(() => routes[0].Labels[4]);
    }

    [Fact]
    public void Ipv6_labeled_prefix()
    {
        var route = Single("58 0bba91 20010db800420000", Ipv6Labeled);
        Assert.Equal(new IpPrefix(V6("2001:db8:42::"), 64), route.Prefix);
        Assert.Equal(48041u, route.Labels[0]);
    }

    [Fact]
    public void Withdrawal_consumes_exactly_one_compatibility_label_0x800000()
    {
        // RFC 8277 s2.4 / RFC 3107: 0x800000 has no bottom-of-stack bit, yet the prefix follows it.
        var route = Single("30 800000 c00002", Ipv4Labeled, isWithdrawal: true);
        Assert.Equal(new IpPrefix(V4("192.0.2.0"), 24), route.Prefix);
        Assert.Equal(1, route.Labels.Count);
        Assert.Equal(0x80000u, route.Labels[0]);

        var zero = Single("30 000000 c00002", Ipv4Labeled, isWithdrawal: true);
        Assert.Equal(new IpPrefix(V4("192.0.2.0"), 24), zero.Prefix);
    }

    [Fact]
    public void The_same_withdrawal_bytes_as_an_announcement_have_no_bottom_of_stack()
    {
        // Read as an announcement, 0x800000 and then c00002 are taken as labels: neither has BoS,
        // the 48 bits run out: bad length at the length byte.
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadLength, 7, "labeled NLRI"),
            ErrorOf("30 800000 c00002", Ipv4Labeled, baseOffset: 7));
        Assert.False(NlriEncoding.Fits(Hex("30 800000 c00002"), Ipv4Labeled, addPath: false));
        Assert.Equal(1, NlriEncoding.Count(Hex("30 800000 c00002"), Ipv4Labeled, addPath: false, isWithdrawal: true));
    }

    [Fact]
    public void Length_shorter_than_one_label_is_bad_length()
    {
        Assert.Equal(DecodeErrorCode.BadLength, ErrorOf("10 0001", Ipv4Labeled).Code);
    }

    [Fact]
    public void Prefix_bits_past_32_after_the_labels_are_bad_value_at_the_length_byte()
    {
        // 24 + 33 = 57 bits: 8 bytes.
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadValue, 0, "labeled NLRI"),
            ErrorOf("39 000101 c0000201 80", Ipv4Labeled));
    }

    [Fact]
    public void Truncated_labeled_nlri_is_truncated_after_the_length_byte()
    {
        Assert.Equal(
            new DecodeError(DecodeErrorCode.Truncated, 1, "labeled NLRI"),
            ErrorOf("30 000101 c0", Ipv4Labeled));
    }

    [Fact]
    public void Label_only_default_route()
    {
        var route = Single("18 000031", Ipv4Labeled);
        Assert.Equal(new IpPrefix(V4("0.0.0.0"), 0), route.Prefix);
        Assert.Equal(3u, route.Labels[0]);
    }
}
