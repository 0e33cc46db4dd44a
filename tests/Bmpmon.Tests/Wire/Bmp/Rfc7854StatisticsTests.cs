using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Wire.Bmp;

public sealed class Rfc7854StatisticsTests
{
    public static TheoryData<ushort> Counter32Types => new() { 0, 1, 2, 3, 4, 5, 6, 11, 12, 13 };

    public static TheoryData<ushort> Gauge64Types => new() { 7, 8, 14, 15, 18, 20, 29, 31 };

    /// <summary>
    /// Types without a name in <see cref="StatisticsType"/>: 24 and 25 (decoders that mirror the IANA BMP
    /// Statistics Types registry go from 23 to 26), and 33 onwards (RFC 9972's newer types, then
    /// unassigned). A router may still send them: they are read by their length, with their number.
    /// </summary>
    public static TheoryData<ushort> UnnamedTypes => new() { 24, 25, 33, 34, 40, 100, 32767, 65535 };

    public static TheoryData<ushort> PerAfiSafiTypes => new() { 9, 10, 16, 17, 19, 21, 22, 23, 26, 27, 28, 30, 32 };

    private static StatisticsTlv Single(string tlv, out StatisticsReport report)
    {
        var m = Hex.Bmp(1, Hex.Peer(), "00000001", tlv);
        Assert.True(StatisticsReport.TryParse(m, out report, out var e), e.ToString());
        Assert.Equal(1u, report.Count);
        var r = report.GetTlvs();
        Assert.True(r.TryRead(out var stat, out _));
        Assert.False(r.TryRead(out _, out var end));
        Assert.False(end.IsError);
        return stat;
    }

    [Theory]
    [MemberData(nameof(Counter32Types))]
    public void Counter_types_are_32_bit(ushort type)
    {
        var s = Single(Hex.Tlv(type, "01020304"), out _);
        Assert.Equal((StatisticsType)type, s.Type);
        Assert.Equal(StatisticsValueKind.Counter32, s.Kind);
        Assert.Equal(0x01020304ul, s.Value);
        Assert.Equal(4, s.Length);
        Assert.Equal(52, s.Offset);
    }

    [Theory]
    [MemberData(nameof(Gauge64Types))]
    public void Gauge_types_are_64_bit(ushort type)
    {
        var s = Single(Hex.Tlv(type, "0000000100000002"), out _);
        Assert.Equal(StatisticsValueKind.Gauge64, s.Kind);
        Assert.Equal(0x0000000100000002ul, s.Value);
    }

    [Theory]
    [MemberData(nameof(PerAfiSafiTypes))]
    public void Per_afi_safi_types_carry_the_family(ushort type)
    {
        var s = Single(Hex.Tlv(type, "0001 80 00000000000003E8"), out _);
        Assert.Equal(StatisticsValueKind.PerAfiSafiGauge64, s.Kind);
        Assert.Equal(new AfiSafi(Afi.Ipv4, Safi.MplsVpn), s.Family);
        Assert.Equal(1000ul, s.Value);
    }

    [Theory]
    [MemberData(nameof(Gauge64Types))]
    public void Gauge_types_have_names_from_the_registry(ushort type) => Assert.True(Enum.IsDefined((StatisticsType)type));

    [Theory]
    [MemberData(nameof(UnnamedTypes))]
    public void Unnamed_types_are_read_by_their_length_and_keep_their_number(ushort type)
    {
        Assert.False(Enum.IsDefined((StatisticsType)type));

        var counter = Single(Hex.Tlv(type, "00000007"), out _);
        Assert.Equal(((StatisticsType)type, StatisticsValueKind.Counter32, 7ul), (counter.Type, counter.Kind, counter.Value));

        var gauge = Single(Hex.Tlv(type, "0000000100000002"), out _);
        Assert.Equal(((StatisticsType)type, StatisticsValueKind.Gauge64, 0x0000000100000002ul), (gauge.Type, gauge.Kind, gauge.Value));

        var perFamily = Single(Hex.Tlv(type, "0002 01 00000000000003E8"), out _);
        Assert.Equal((StatisticsValueKind.PerAfiSafiGauge64, AfiSafi.Ipv6Unicast, 1000ul), (perFamily.Kind, perFamily.Family, perFamily.Value));
    }

    [Fact]
    public void A_32_bit_type_sent_as_8_bytes_trusts_the_length()
    {
        var s = Single(Hex.Tlv(0, "0000000000000005"), out _);
        Assert.Equal(StatisticsValueKind.Gauge64, s.Kind);
        Assert.Equal(5ul, s.Value);
    }

    [Fact]
    public void Unknown_type_and_odd_length_are_kept_raw()
    {
        var s = Single(Hex.Tlv(65531, "0A0B0C"), out _);
        Assert.Equal((StatisticsType)65531, s.Type);
        Assert.Equal(StatisticsValueKind.Raw, s.Kind);
        Assert.Equal(Hex.Bytes("0A0B0C"), s.RawValue.ToArray());
        Assert.Equal(0ul, s.Value);
    }

    [Fact]
    public void Count_larger_than_the_counters_is_truncated()
    {
        var m = Hex.Bmp(1, Hex.Peer(), "00000002", Hex.Tlv(0, "00000001"));
        Assert.False(StatisticsReport.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 60, "statistics TLV header"), e);
    }

    [Fact]
    public void Counter_running_past_the_message_is_truncated_at_its_length()
    {
        var m = Hex.Bmp(1, Hex.Peer(), "00000001", "0000 0008 00000001");
        Assert.False(StatisticsReport.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 54, "statistics TLV length"), e);
    }

    [Fact]
    public void Missing_count_is_truncated()
    {
        var m = Hex.Bmp(1, Hex.Peer(), "0000");
        Assert.False(StatisticsReport.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 48, "statistics count"), e);
    }
}
