using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Wire.Bgp.Nlri;

/// <summary>A heap copy of one decoded <see cref="Core.Wire.Bgp.Nlri.Nlri"/>, so tests can collect and assert.</summary>
internal sealed record DecodedNlri(
    AfiSafi Family,
    bool HasPathId,
    uint PathId,
    IpPrefix Prefix,
    bool HasRd,
    RouteDistinguisher Rd,
    MplsLabelStack Labels,
    bool IsEvpn,
    EvpnRoute Evpn,
    bool IsOpaque,
    string RawHex,
    int Offset,
    string Text);

internal static class NlriTestSupport
{
    public static readonly AfiSafi Ipv4Multicast = new(Afi.Ipv4, Safi.Multicast);
    public static readonly AfiSafi Ipv4Labeled = new(Afi.Ipv4, Safi.LabeledUnicast);
    public static readonly AfiSafi Ipv6Labeled = new(Afi.Ipv6, Safi.LabeledUnicast);
    public static readonly AfiSafi Ipv4Vpn = new(Afi.Ipv4, Safi.MplsVpn);
    public static readonly AfiSafi Ipv6Vpn = new(Afi.Ipv6, Safi.MplsVpn);

    /// <summary>Hex with optional spaces, as written in the tests.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    public static (List<DecodedNlri> Routes, DecodeError Error) ReadAll(
        string hex, AfiSafi family, bool addPath = false, bool isWithdrawal = false, int baseOffset = 0) =>
        ReadAll(Hex(hex), family, addPath, isWithdrawal, baseOffset);

    public static (List<DecodedNlri> Routes, DecodeError Error) ReadAll(
        ReadOnlySpan<byte> data, AfiSafi family, bool addPath = false, bool isWithdrawal = false, int baseOffset = 0)
    {
        var routes = new List<DecodedNlri>();
        var reader = new NlriReader(data, baseOffset, family, addPath, isWithdrawal);
        DecodeError error;
        while (reader.TryRead(out var n, out error))
        {
            routes.Add(new DecodedNlri(
                n.Family, n.HasPathId, n.PathId, n.Prefix, n.HasRd, n.Rd, n.Labels, n.IsEvpn, n.Evpn,
                n.IsOpaque, ToHex(n.Raw), n.Offset, n.ToString()));
        }

        // Once stopped, the reader stays stopped.
        Assert.False(reader.TryRead(out _, out var again));
        Assert.False(again.IsError);
        return (routes, error);
    }

    public static DecodedNlri Single(string hex, AfiSafi family, bool addPath = false, bool isWithdrawal = false)
    {
        var (routes, error) = ReadAll(hex, family, addPath, isWithdrawal);
        Assert.False(error.IsError, error.ToString());
        return Assert.Single(routes);
    }

    public static DecodeError ErrorOf(string hex, AfiSafi family, bool addPath = false, bool isWithdrawal = false, int baseOffset = 0)
    {
        var (_, error) = ReadAll(hex, family, addPath, isWithdrawal, baseOffset);
        Assert.True(error.IsError);
        return error;
    }

    public static IpAddr V4(string text) => IpAddr.FromV4(System.Net.IPAddress.Parse(text).GetAddressBytes());

    public static IpAddr V6(string text) => IpAddr.FromV6(System.Net.IPAddress.Parse(text).GetAddressBytes());
}
