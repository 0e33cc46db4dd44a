using System.Buffers.Binary;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// An IPv6 Address Specific Extended Community (RFC 5701 s2): type, sub-type, a 16-octet IPv6
/// global administrator and a 2-octet local administrator.
/// </summary>
/// <param name="Type">The type octet (0x00 transitive, 0x40 non-transitive).</param>
/// <param name="SubType">The sub-type (0x02 route target, 0x03 route origin).</param>
/// <param name="GlobalAdministrator">The IPv6 address.</param>
/// <param name="LocalAdministrator">The local value.</param>
public readonly record struct Ipv6ExtendedCommunity(byte Type, byte SubType, IpAddr GlobalAdministrator, ushort LocalAdministrator)
    : IFixedSizeAttributeValue<Ipv6ExtendedCommunity>
{
    /// <inheritdoc/>
    public static int WireSize => 20;

    /// <inheritdoc/>
    public static Ipv6ExtendedCommunity Read(ReadOnlySpan<byte> bytes) => new(
        bytes[0],
        bytes[1],
        IpAddr.FromV6(bytes.Slice(2, 16)),
        BinaryPrimitives.ReadUInt16BigEndian(bytes[18..]));

    /// <summary>Formats as "rt:[2001:db8::1]:100" / "soo:[...]:n", other sub-types as "0xTTSS:[addr]:n" (output only: formats the address via <see cref="System.Net.IPAddress"/>).</summary>
    public override string ToString()
    {
        var prefix = SubType switch
        {
            ExtendedCommunity.RouteTargetSubType => "rt",
            ExtendedCommunity.RouteOriginSubType => "soo",
            _ => "0x" + ((Type << 8) | SubType).ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
        };
        return prefix + ":[" + GlobalAdministrator.ToString() + "]:" + LocalAdministrator.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
