using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Wire.Bmp;

public sealed class Rfc7854PeerDownTests
{
    private static PeerDownNotification Parse(params string[] body)
    {
        var m = Hex.Bmp(2, [Hex.Peer(), .. body]);
        Assert.True(PeerDownNotification.TryParse(m, out var down, out var e), e.ToString());
        return down;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Reasons_1_and_3_carry_a_notification(byte reason)
    {
        var down = Parse($"{reason:X2}", Hex.Bgp(3, "0604"));
        Assert.Equal((PeerDownReason)reason, down.Reason);
        Assert.True(down.HasNotification);
        Assert.Equal(6, down.Notification.ErrorCode);
        Assert.Equal(4, down.Notification.ErrorSubcode);
        Assert.Equal("Cease: Administrative Reset", down.Notification.ErrorText);
        Assert.Equal(21, down.Data.Length);
        Assert.True(down.Tlvs.IsEmpty);
    }

    [Fact]
    public void Shutdown_communication_is_exposed_as_utf8()
    {
        var text = Hex.Text("maintenance ✓");
        var down = Parse("03", Hex.Bgp(3, $"0602{text.Length / 2:X2}{text}"));
        Assert.Equal("Cease: Administrative Shutdown", down.Notification.ErrorText);
        Assert.Equal("maintenance ✓", down.Notification.ShutdownCommunicationText);
    }

    [Fact]
    public void Reason_2_carries_the_fsm_event()
    {
        var down = Parse("02", "0012");
        Assert.True(down.HasFsmEventCode);
        Assert.Equal(18, down.FsmEventCode);
        Assert.False(down.DataError.IsError);
    }

    [Fact]
    public void Reason_2_without_fsm_event_is_a_data_error_not_a_failure()
    {
        var down = Parse("02");
        Assert.Equal(PeerDownReason.LocalNoNotification, down.Reason);
        Assert.False(down.HasFsmEventCode);
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 49, "peer down FSM event code"), down.DataError);
    }

    [Fact]
    public void Truncated_notification_is_a_data_error()
    {
        var full = Hex.Bgp(3, "0604");
        var down = Parse("01", full[..^4]);
        Assert.False(down.HasNotification);
        Assert.Equal(DecodeErrorCode.Truncated, down.DataError.Code);
        Assert.Equal(49 + 16, down.DataError.Offset);
    }

    [Fact]
    public void Notification_with_a_bad_marker_is_a_data_error()
    {
        var down = Parse("03", "00" + Hex.Bgp(3, "0604")[2..]);
        Assert.Equal(new DecodeError(DecodeErrorCode.BadValue, 49, "BGP message marker"), down.DataError);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Reasons_4_and_5_have_no_data(byte reason)
    {
        var down = Parse($"{reason:X2}");
        Assert.Equal((PeerDownReason)reason, down.Reason);
        Assert.True(down.Data.IsEmpty);
        Assert.False(down.DataError.IsError);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(250)]
    public void Unknown_reason_is_kept(byte reason)
    {
        // 7 is the first code nobody assigned: RFC 9069 s8.4 registers only 6 ("Peer De-configured" is 5, RFC 7854 s4.9).
        var down = Parse($"{reason:X2} 0102");
        Assert.Equal((PeerDownReason)reason, down.Reason);
        Assert.False(Enum.IsDefined(down.Reason));
    }

    [Fact]
    public void Missing_reason_fails()
    {
        var m = Hex.Bmp(2, Hex.Peer());
        Assert.False(PeerDownNotification.TryParse(m, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 48, "peer down reason"), e);
    }

    [Fact]
    public void V4_tlvs_follow_the_notification()
    {
        var m = Hex.Bmp(4, 2, Hex.Peer(), "01", Hex.Bgp(3, "0602"), Hex.Tlv(3, Hex.Text("red")));
        Assert.True(PeerDownNotification.TryParse(m, out var down, out _));
        Assert.True(down.HasNotification);
        var tlvs = down.GetTlvs();
        Assert.True(tlvs.TryRead(out var tlv, out _));
        Assert.Equal("red", tlv.ValueAsString());
        Assert.Equal(49 + 21, tlv.Offset);
    }
}
