using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Bmpmon.Tests.Wire.Bmp;

namespace Bmpmon.Tests.Wire.Bgp.Open;

public sealed class Rfc5492CapabilitiesTests
{
    private static BgpOpenMessage Parse(string hex, int baseOffset = 0)
    {
        Assert.True(BgpOpenMessage.TryParse(Hex.Bytes(hex), baseOffset, out var open, out var e), e.ToString());
        return open;
    }

    private static Capability Single(string capability, out BgpOpenMessage open)
    {
        open = Parse(Hex.Open(65001, 180, "0A000001", Hex.Caps(capability)));
        var r = open.GetCapabilities();
        Assert.True(r.TryRead(out var c, out _));
        Assert.Equal(31, c.Offset);
        return c;
    }

    [Fact]
    public void Open_fields()
    {
        var open = Parse(Hex.Open(65001, 90, "0A000001", ""));
        Assert.Equal(4, open.Version);
        Assert.Equal(65001, open.MyAs);
        Assert.Equal(90, open.HoldTime);
        Assert.Equal(0x0A000001u, open.BgpId);
        Assert.Equal(65001u, open.FourOctetAs);
        Assert.False(open.HasFourOctetAsCapability);
        Assert.Equal(29, open.MessageLength);
        Assert.False(open.GetCapabilities().TryRead(out _, out var e));
        Assert.False(e.IsError);
    }

    [Fact]
    public void Multiprotocol()
    {
        var c = Single(Hex.Cap(1, "0002 00 80"), out _);
        Assert.Equal(CapabilityCode.Multiprotocol, c.Code);
        Assert.True(MultiprotocolCapability.TryDecode(c, out var family, out _));
        Assert.Equal("ipv6-vpn", family.Name);
    }

    [Fact]
    public void Multiprotocol_with_a_bad_length()
    {
        var c = Single(Hex.Cap(1, "000200"), out _);
        Assert.False(MultiprotocolCapability.TryDecode(c, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.BadLength, 32, "multiprotocol capability"), e);
    }

    [Fact]
    public void Four_octet_as_replaces_as_trans()
    {
        var c = Single(Hex.Cap(65, "FBF00001"), out var open);
        Assert.True(FourOctetAsCapability.TryDecode(c, out var asn, out _));
        Assert.Equal(0xFBF00001u, asn);
        Assert.Equal(0xFBF00001u, open.FourOctetAs);
        Assert.True(open.HasFourOctetAsCapability);
    }

    [Fact]
    public void Graceful_restart()
    {
        var c = Single(Hex.Cap(64, "C078 0001 01 80 0002 01 00"), out _);
        Assert.True(GracefulRestartCapability.TryDecode(c, out var gr, out _));
        Assert.True(gr.RestartState);
        Assert.True(gr.SupportsNotification);
        Assert.Equal(120, gr.RestartTime);
        Assert.Equal(2, gr.Count);
        Assert.Equal(AfiSafi.Ipv4Unicast, gr.GetFamily(0));
        Assert.True(gr.IsForwardingPreserved(0));
        Assert.False(gr.IsForwardingPreserved(1));
        Assert.False(GracefulRestartCapability.TryDecode(Single(Hex.Cap(64, "00"), out _), out _, out var e));
        Assert.Equal(DecodeErrorCode.BadLength, e.Code);
    }

    [Fact]
    public void Extended_next_hop()
    {
        var c = Single(Hex.Cap(5, "0001 0001 0002 0001 0080 0002"), out _);
        Assert.True(ExtendedNextHopCapability.TryDecode(c, out var enh, out _));
        Assert.Equal(2, enh.Count);
        Assert.Equal(new ExtendedNextHopEntry(AfiSafi.Ipv4Unicast, Afi.Ipv6), enh[0]);
        Assert.Equal(new ExtendedNextHopEntry(new AfiSafi(Afi.Ipv4, Safi.MplsVpn), Afi.Ipv6), enh[1]);
        Assert.False(ExtendedNextHopCapability.TryDecode(Single(Hex.Cap(5, "00010001"), out _), out _, out _));
    }

    [Fact]
    public void Fqdn()
    {
        var c = Single(Hex.Cap(73, "03" + Hex.Text("pe1") + "07" + Hex.Text("example")), out _);
        Assert.True(FqdnCapability.TryDecode(c, out var fqdn, out _));
        Assert.Equal("pe1", fqdn.Hostname);
        Assert.Equal("example", fqdn.Domain);
        Assert.False(FqdnCapability.TryDecode(Single(Hex.Cap(73, "05" + Hex.Text("pe")), out _), out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 33, "FQDN capability hostname"), e);
    }

    [Fact]
    public void Bgp_role()
    {
        Assert.True(BgpRoleCapability.TryDecode(Single(Hex.Cap(9, "03"), out _), out var role, out _));
        Assert.Equal(BgpRole.Customer, role);
        Assert.False(BgpRoleCapability.TryDecode(Single(Hex.Cap(9, ""), out _), out _, out _));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(70)]
    [InlineData(128)]
    [InlineData(239)]
    public void Flag_and_unknown_capabilities_are_kept_raw(byte code)
    {
        var c = Single(Hex.Cap(code, code == 239 ? "DEAD" : ""), out var open);
        Assert.Equal((CapabilityCode)code, c.Code);
        Assert.True(open.HasCapability((CapabilityCode)code));
    }

    [Fact]
    public void Several_capability_parameters_and_other_parameter_types()
    {
        var parameters = "0102AAAA" + Hex.Caps(Hex.Cap(1, "00010001")) + Hex.Caps(Hex.Cap(2, ""), Hex.Cap(65, "00000064"));
        var open = Parse(Hex.Open(100, 180, "0A000001", parameters));
        var codes = new List<CapabilityCode>();
        var r = open.GetCapabilities();
        while (r.TryRead(out var c, out _))
        {
            codes.Add(c.Code);
        }

        Assert.Equal([CapabilityCode.Multiprotocol, CapabilityCode.RouteRefresh, CapabilityCode.FourOctetAs], codes);
    }

    [Fact]
    public void Capability_running_past_its_parameter_fails_the_open()
    {
        var hex = Hex.Open(100, 180, "0A000001", "0204 4104 0000");
        Assert.False(BgpOpenMessage.TryParse(Hex.Bytes(hex), 100, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 100 + 29 + 2 + 1, "capability length"), e);
    }

    [Fact]
    public void Parameters_longer_than_the_message_are_a_bad_length()
    {
        var bytes = Hex.Bytes(Hex.Open(100, 180, "0A000001", "0202 0200"));
        bytes[28] = 9;
        Assert.False(BgpOpenMessage.TryParse(bytes, 0, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.BadLength, 28, "BGP OPEN optional parameters length"), e);
    }

    [Fact]
    public void Short_open_is_truncated()
    {
        Assert.False(BgpOpenMessage.TryParse(Hex.Bytes(Hex.Bgp(1, "0400640000")), 0, out _, out var e));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 24, "BGP OPEN"), e);
    }

    [Fact]
    public void Bgp_header_checks_marker_and_length()
    {
        var good = Hex.Bytes(Hex.Bgp(4, ""));
        Assert.True(BgpMessageHeader.TryRead(good, 0, out var h, out _));
        Assert.Equal(BgpMessageType.Keepalive, h.Type);
        Assert.Equal(19, h.Length);

        var badMarker = (byte[])good.Clone();
        badMarker[3] = 0;
        Assert.False(BgpMessageHeader.TryRead(badMarker, 10, out _, out var e1));
        Assert.Equal(new DecodeError(DecodeErrorCode.BadValue, 10, "BGP message marker"), e1);

        var shortLength = (byte[])good.Clone();
        shortLength[17] = 18;
        Assert.False(BgpMessageHeader.TryRead(shortLength, 10, out _, out var e2));
        Assert.Equal(new DecodeError(DecodeErrorCode.BadLength, 26, "BGP message length"), e2);

        Assert.False(BgpMessageHeader.TryRead(good.AsSpan(0, 10), 10, out _, out var e3));
        Assert.Equal(new DecodeError(DecodeErrorCode.Truncated, 20, "BGP message header"), e3);

        var extended = Hex.Bytes(Hex.Bgp(2, new string('0', 2 * 5000)));
        Assert.True(BgpMessageHeader.TryRead(extended, 0, out var h4, out _));
        Assert.Equal(5019, h4.Length);
    }

    [Fact]
    public void Notification_texts()
    {
        Assert.Equal("Cease: Peer De-configured", BgpErrorText.Of(6, 3));
        Assert.Equal("OPEN Message Error: Unsupported Capability", BgpErrorText.Of(2, 7));
        Assert.Equal("Hold Timer Expired", BgpErrorText.Of(4, 0));
        Assert.Equal("Unknown Error", BgpErrorText.Of(42, 1));
    }
}
