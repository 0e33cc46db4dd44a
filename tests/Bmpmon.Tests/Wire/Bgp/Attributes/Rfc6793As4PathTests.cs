using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

public sealed class Rfc6793As4PathTests
{
    // 2-octet AS_PATH: SEQUENCE 65001 23456 23456 (AS_TRANS for two 4-octet ASNs).
    private static readonly byte[] OldAsPath = Hex("40 02 08 02 03 FDE9 5BA0 5BA0");

    // AS4_PATH: SEQUENCE 4200000000 4200000001.
    private static readonly byte[] As4Path = Hex("C0 11 0A 02 02 FA56EA00 FA56EA01");

    [Fact]
    public void Two_octet_peer_merges_as4_path()
    {
        Assert.True(PathAttributes.TryParse(Block(OldAsPath, As4Path), Base, false, out var pa, out _));
        Assert.Equal(2, pa.AsPath.AsnSize);
        Assert.Equal("65001 4200000000 4200000001", pa.AsPath.ToString());
        Assert.Equal(3, pa.AsPath.Length);
        Assert.Equal(3, pa.AsPath.AsnCount);
        Assert.Equal(65001u, pa.AsPath.FirstAs);
        Assert.Equal(4200000001u, pa.AsPath.OriginAs);
        Span<uint> asns = stackalloc uint[3];
        Assert.Equal(3, pa.AsPath.CopyAsns(asns));
        Assert.Equal([65001u, 4200000000u, 4200000001u], asns.ToArray());
    }

    [Fact]
    public void As4_path_longer_than_as_path_is_ignored()
    {
        var as4 = Hex("C0 11 12 02 04 FA56EA00 FA56EA01 FA56EA02 FA56EA03");
        Assert.True(PathAttributes.TryParse(Block(OldAsPath, as4), Base, false, out var pa, out _));
        Assert.Equal("65001 23456 23456", pa.AsPath.ToString());
        Assert.True(pa.AsPath.As4PathBytes.IsEmpty);
    }

    [Fact]
    public void Four_octet_session_ignores_as4_path()
    {
        var asPath = Hex("40 02 0A 02 02 0000FDE9 0000FDEA");
        Assert.True(PathAttributes.TryParse(Block(asPath, As4Path), Base, true, out var pa, out _));
        Assert.Equal("65001 65002", pa.AsPath.ToString());
    }

    [Fact]
    public void As_trans_aggregator_takes_as4_aggregator()
    {
        var block = Block(OldAsPath, Hex("C0 07 06 5BA0 C0000202"), Hex("C0 12 08 FA56EA00 C0000203"), As4Path);
        Assert.True(PathAttributes.TryParse(block, Base, false, out var pa, out _));
        Assert.True(pa.HasAggregator);
        Assert.Equal(4200000000u, pa.AggregatorAs);
        Assert.Equal(IpAddr.FromV4(0xC0000203), pa.AggregatorAddress);
        Assert.Equal("65001 4200000000 4200000001", pa.AsPath.ToString());
    }

    [Fact]
    public void Real_as_in_aggregator_ignores_as4_aggregator_and_as4_path()
    {
        var block = Block(OldAsPath, Hex("C0 07 06 FDE8 C0000202"), Hex("C0 12 08 FA56EA00 C0000203"), As4Path);
        Assert.True(PathAttributes.TryParse(block, Base, false, out var pa, out _));
        Assert.Equal(65000u, pa.AggregatorAs);
        Assert.Equal(IpAddr.FromV4(0xC0000202), pa.AggregatorAddress);
        Assert.Equal("65001 23456 23456", pa.AsPath.ToString());
    }

    [Fact]
    public void Four_octet_session_ignores_as4_aggregator()
    {
        var block = Block(Hex("C0 07 08 00005BA0 C0000202"), Hex("C0 12 08 FA56EA00 C0000203"));
        Assert.True(PathAttributes.TryParse(block, Base, true, out var pa, out _));
        Assert.Equal(23456u, pa.AggregatorAs);
    }

    [Fact]
    public void Merge_counts_an_as_set_as_one()
    {
        // AS_PATH: 65001 {65002,65003} 23456 -> length 3; AS4_PATH: 4200000000 -> take 2 from AS_PATH.
        var asPath = Hex("40 02 0E 02 01 FDE9 01 02 FDEA FDEB 02 01 5BA0");
        var as4 = Hex("C0 11 06 02 01 FA56EA00");
        Assert.True(PathAttributes.TryParse(Block(asPath, as4), Base, false, out var pa, out _));
        Assert.Equal("65001 {65002,65003} 4200000000", pa.AsPath.ToString());
        Assert.Equal(3, pa.AsPath.Length);
    }

    [Fact]
    public void Merge_splits_a_sequence()
    {
        // AS_PATH: 65001 65002 23456 (one segment); AS4_PATH: 65002 4200000000.
        var asPath = Hex("40 02 08 02 03 FDE9 FDEA 5BA0");
        var as4 = Hex("C0 11 0A 02 02 0000FDEA FA56EA00");
        Assert.True(PathAttributes.TryParse(Block(asPath, as4), Base, false, out var pa, out _));
        Assert.Equal("65001 65002 4200000000", pa.AsPath.ToString());
        Assert.Equal(3, pa.AsPath.AsnCount);
    }

    [Fact]
    public void Confederation_segments_in_as4_path_are_ignored()
    {
        var as4 = Hex("C0 11 10 03 01 0000FDF0 02 02 FA56EA00 FA56EA01");
        Assert.True(PathAttributes.TryParse(Block(OldAsPath, as4), Base, false, out var pa, out _));
        Assert.Equal("65001 4200000000 4200000001", pa.AsPath.ToString());
    }

    [Fact]
    public void Malformed_as4_path_is_discarded_without_withdraw()
    {
        var as4 = Hex("C0 11 07 02 02 FA56EA00 FA");
        Assert.True(PathAttributes.TryParse(Block(OldAsPath, as4), Base, false, out var pa, out _));
        Assert.Equal(1, pa.MalformedCount);
        Assert.False(pa.TreatAsWithdraw);
        Assert.Equal("65001 23456 23456", pa.AsPath.ToString());
    }

    [Fact]
    public void Malformed_as4_aggregator_is_discarded()
    {
        var block = Block(Hex("C0 07 06 5BA0 C0000202"), Hex("C0 12 06 FA56 C0000203"));
        Assert.True(PathAttributes.TryParse(block, Base, false, out var pa, out _));
        Assert.Equal(1, pa.MalformedCount);
        Assert.Equal(23456u, pa.AggregatorAs);
    }

    [Fact]
    public void TryCreate_builds_a_merged_view()
    {
        Assert.True(AsPath.TryCreate(Hex("02 02 FDE9 5BA0"), 2, Hex("02 01 FA56EA00"), out var path));
        Assert.Equal("65001 4200000000", path.ToString());
        Assert.False(AsPath.TryCreate(Hex("02 00"), 2, default, out _));
        Assert.False(AsPath.TryCreate(Hex("02 01 FDE9"), 3, default, out _));
    }
}
