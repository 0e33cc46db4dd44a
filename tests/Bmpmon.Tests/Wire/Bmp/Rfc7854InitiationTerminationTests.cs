using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Wire.Bmp;

public sealed class Rfc7854InitiationTerminationTests
{
    [Fact]
    public void Initiation_reads_sysdescr_sysname_and_strings()
    {
        var m = Hex.Bmp(4, Hex.Tlv(1, Hex.Text("Cisco IOS XR")), Hex.Tlv(2, Hex.Text("pe1")), Hex.Tlv(0, Hex.Text("hi")));
        Assert.True(InitiationMessage.TryParse(m, out var init, out var e), e.ToString());
        Assert.True(init.TryGetValue(InitiationTlvType.SysName, out var name));
        Assert.Equal("pe1"u8.ToArray(), name.ToArray());
        Assert.True(init.TryGetValue(InitiationTlvType.SysDescr, out var descr));
        Assert.Equal("Cisco IOS XR"u8.ToArray(), descr.ToArray());
        Assert.False(init.TryGetValue(InitiationTlvType.AdminLabel, out _));
        var r = init.GetTlvs();
        Assert.True(r.TryRead(out var first, out _));
        Assert.Equal(6, first.Offset);
        Assert.Equal(10, first.ValueOffset);
    }

    [Fact]
    public void Initiation_with_a_tlv_past_the_end_is_truncated()
    {
        var m = Hex.Bmp(4, "0002 0010 7065");
        Assert.False(InitiationMessage.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 6, "BMP TLV value"), e);
    }

    [Fact]
    public void Initiation_with_a_partial_tlv_header_is_truncated()
    {
        var m = Hex.Bmp(4, Hex.Tlv(2, "70"), "00");
        Assert.False(InitiationMessage.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 11, "BMP TLV header"), e);
    }

    [Theory]
    [InlineData(0, TerminationReason.AdministrativelyClosed, "Session administratively closed")]
    [InlineData(1, TerminationReason.Unspecified, "Unspecified reason")]
    [InlineData(2, TerminationReason.OutOfResources, "Out of resources")]
    [InlineData(3, TerminationReason.RedundantConnection, "Redundant connection")]
    [InlineData(4, TerminationReason.PermanentlyAdministrativelyClosed, "Session permanently administratively closed")]
    [InlineData(9, (TerminationReason)9, "Unknown reason")]
    public void Termination_reason_codes_have_names(ushort code, TerminationReason reason, string name)
    {
        var m = Hex.Bmp(5, Hex.Tlv(0, Hex.Text("bye")), Hex.Tlv(1, $"{code:X4}"));
        Assert.True(TerminationMessage.TryParse(m, out var term, out _));
        Assert.True(term.TryGetReason(out var got));
        Assert.Equal(reason, got);
        Assert.Equal(name, TerminationMessage.ReasonName(got));
    }

    [Fact]
    public void Termination_without_reason()
    {
        Assert.True(TerminationMessage.TryParse(Hex.Bmp(5), out var term, out _));
        Assert.False(term.TryGetReason(out _));
    }
}
