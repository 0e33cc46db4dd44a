using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Nlri.NlriTestSupport;
using static Bmpmon.Tests.Wire.Bgp.Nlri.Rfc7432EvpnTests;

namespace Bmpmon.Tests.Wire.Bgp.Nlri;

/// <summary>RFC 9136 section 3.1: EVPN IP Prefix route (type 5), IPv4 (length 34) and IPv6 (length 58).</summary>
public sealed class Rfc9136EvpnIpPrefixTests
{
    [Fact]
    public void Ipv4_prefix_route_with_gateway_and_label()
    {
        var route = Single($"05 22 {Rd} {Esi} {EthTag} 18 c6336400 c0000201 0003e1", AfiSafi.L2vpnEvpn);
        var e = route.Evpn;

        Assert.Equal(EvpnRouteType.IpPrefix, e.RouteType);
        Assert.Equal("64499:105", e.Rd.ToString());
        Assert.Equal(100u, e.EthernetTag);
        Assert.Equal(24, e.IpLength);
        Assert.Equal(V4("198.51.100.0"), e.Ip);
        Assert.Equal(V4("192.0.2.1"), e.GatewayIp);
        Assert.Equal(62u, e.Labels[0]);
        Assert.Equal(new IpPrefix(V4("198.51.100.0"), 24), route.Prefix);
        Assert.True(route.HasRd);
        Assert.Contains("prefix=198.51.100.0/24,gw=192.0.2.1,mpls_ls1=62", route.Text);
    }

    [Fact]
    public void Ipv6_prefix_route_with_zero_gateway()
    {
        var route = Single(
            $"05 3a {Rd} 00000000000000000000 00000000 40 20010db8004200000000000000000000 00000000000000000000000000000000 000641",
            AfiSafi.L2vpnEvpn);
        var e = route.Evpn;

        Assert.Equal(64, e.IpLength);
        Assert.Equal(new IpPrefix(V6("2001:db8:42::"), 64), route.Prefix);
        Assert.Equal(V6("::"), e.GatewayIp);
        Assert.True(e.Esi.IsZero);
        Assert.Equal(100u, e.Labels[0]);
    }

    [Fact]
    public void Route_length_other_than_34_or_58_is_bad_length()
    {
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadLength, 1, "EVPN IP Prefix route"),
            ErrorOf($"05 21 {Rd} {Esi} {EthTag} 18 c6336400 c00002 0003e1", AfiSafi.L2vpnEvpn));
    }

    [Fact]
    public void Prefix_length_past_the_family_is_bad_value_at_that_byte()
    {
        // Prefix length byte at 2 + 8 + 10 + 4 = 24.
        Assert.Equal(
            new DecodeError(DecodeErrorCode.BadValue, 24, "EVPN IP Prefix route"),
            ErrorOf($"05 22 {Rd} {Esi} {EthTag} 21 c6336400 c0000201 0003e1", AfiSafi.L2vpnEvpn));
    }
}
