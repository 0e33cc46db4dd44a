using System.Net;
using static Bmpmon.Tests.Configuration.ConfigTestSupport;

namespace Bmpmon.Tests.Configuration;

public class AllowedRoutersTests
{
    private const string List = "192.0.2.1, 10.0.0.0/8 2001:db8::/32,fe80::1";

    [Theory]
    [InlineData("192.0.2.1", true)]
    [InlineData("192.0.2.2", false)]
    [InlineData("10.255.0.1", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("2001:db8:1::5", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("fe80::1", true)]
    [InlineData("fe80::2", false)]
    [InlineData("::ffff:192.0.2.1", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("::ffff:192.0.2.2", false)]
    [InlineData("::1", false)]
    [InlineData("127.0.0.1", false)]
    public void Addresses_and_cidrs_of_both_families(string address, bool allowed)
        => Assert.Equal(allowed, LoadOk(("BMPMOND_ALLOWED_ROUTERS", List)).IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:203.0.113.9")]
    public void An_empty_list_admits_any(string address)
        => Assert.True(LoadOk().IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public void Ipv4_mapped_entries_are_kept_as_ipv4()
    {
        var options = LoadOk(("BMPMOND_ALLOWED_ROUTERS", "::ffff:192.0.2.1 ::ffff:10.0.0.0/104"));
        Assert.Equal([IPNetwork.Parse("192.0.2.1/32"), IPNetwork.Parse("10.0.0.0/8")], options.AllowedRouters);
        Assert.True(options.IsAllowed(IPAddress.Parse("10.9.9.9")));
        Assert.True(options.IsAllowed(IPAddress.Parse("::ffff:192.0.2.1")));
    }

    [Fact]
    public void Zero_prefix_admits_the_whole_family()
    {
        var options = LoadOk(("BMPMOND_ALLOWED_ROUTERS", "0.0.0.0/0"));
        Assert.True(options.IsAllowed(IPAddress.Parse("203.0.113.1")));
        Assert.True(options.IsAllowed(IPAddress.Parse("::ffff:203.0.113.1")));
        Assert.False(options.IsAllowed(IPAddress.Parse("2001:db8::1")));
    }

    [Fact]
    public void Duplicates_are_dropped()
        => Assert.Single(LoadOk(("BMPMOND_ALLOWED_ROUTERS", "192.0.2.1,192.0.2.1/32")).AllowedRouters);
}
