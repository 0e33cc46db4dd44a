using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Xunit.Abstractions;

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

    /// <summary>The fixture folder, or null (with the reason written) when it is absent outside CI.</summary>
    public static string? FixturesDirectory(ITestOutputHelper output)
    {
        var fromEnv = Environment.GetEnvironmentVariable("BMPMON_FIXTURES");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bmpmond.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "bmp"));
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }

                break;
            }
        }

        Assert.False(
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
            "BMP fixtures not found (../shared/fixtures/bmp or BMPMON_FIXTURES)");
        output.WriteLine("BMP fixtures not found (../shared/fixtures/bmp or BMPMON_FIXTURES): skipping");
        return null;
    }

    /// <summary>Walks a raw BMP stream by its 6-byte common headers and yields each message with its start offset.</summary>
    public static List<(int Start, byte[] Message)> BmpMessages(byte[] stream)
    {
        var messages = new List<(int, byte[])>();
        var pos = 0;
        while (stream.Length - pos >= 6)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(stream.AsSpan(pos + 1));
            if (length < 6 || length > stream.Length - pos)
            {
                break;
            }

            messages.Add((pos, stream.AsSpan(pos, length).ToArray()));
            pos += length;
        }

        return messages;
    }
}
