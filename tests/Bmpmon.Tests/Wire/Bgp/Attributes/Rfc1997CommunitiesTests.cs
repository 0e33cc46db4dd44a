using Bmpmon.Core.Wire.Bgp.Attributes;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

public sealed class Rfc1997CommunitiesTests
{
    [Fact]
    public void Communities_decode_and_format()
    {
        Assert.True(PathAttributes.TryParse(Communities, Base, true, out var pa, out _));
        var list = pa.CommunityList;
        Assert.Equal(4, list.Count);
        Assert.Equal(new Community(0xFDE80064), list[0]);
        Assert.Equal(65000, list[0].Asn);
        Assert.Equal(100, list[0].LocalValue);
        Assert.Equal("65000:100", list[0].ToString());
        Assert.Equal("65000:200", list[1].ToString());
        Assert.Null(list[1].WellKnownName);
        Assert.Equal("NO_EXPORT", list[2].WellKnownName);
        Assert.Equal("65535:65281", list[2].ToString());
        Assert.Equal("BLACKHOLE", list[3].WellKnownName);

        var seen = new List<uint>();
        foreach (var c in list)
        {
            seen.Add(c.Value);
        }

        Assert.Equal([0xFDE80064u, 0xFDE800C8u, Community.NoExport, Community.Blackhole], seen);
    }

    [Theory]
    [InlineData(Community.NoAdvertise, "NO_ADVERTISE")]
    [InlineData(Community.NoExportSubconfed, "NO_EXPORT_SUBCONFED")]
    [InlineData(Community.NoPeer, "NOPEER")]
    [InlineData(Community.GracefulShutdown, "GRACEFUL_SHUTDOWN")]
    [InlineData(Community.AcceptOwn, "ACCEPT_OWN")]
    [InlineData(Community.LlgrStale, "LLGR_STALE")]
    [InlineData(Community.NoLlgr, "NO_LLGR")]
    public void Well_known_names(uint value, string name) => Assert.Equal(name, new Community(value).WellKnownName);

    [Fact]
    public void Format_reports_a_short_buffer()
    {
        Span<char> small = stackalloc char[5];
        Assert.False(new Community(0xFDE80064).TryFormat(small, out var n));
        Assert.Equal(0, n);
    }

    [Theory]
    [InlineData("C0 08 05 FDE8006401")]
    [InlineData("C0 08 00")]
    public void Bad_length_is_treat_as_withdraw(string hex)
    {
        Assert.True(PathAttributes.TryParse(Hex(hex), Base, true, out var pa, out _));
        Assert.True(pa.Communities.IsEmpty);
        Assert.Equal(1, pa.MalformedCount);
        Assert.True(pa.TreatAsWithdraw);
    }
}
