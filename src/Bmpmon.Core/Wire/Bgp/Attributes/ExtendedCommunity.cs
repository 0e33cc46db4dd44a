using System.Buffers.Binary;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// An EXTENDED COMMUNITIES element (RFC 4360 s2): 8 octets, a type (high octet), for most types a
/// sub-type (second octet), and a value.
/// <code>
/// | Type high | Type low (sub-type) | Global Administrator | Local Administrator |
/// two-octet AS specific (0x00, RFC 4360 s3.1):   AS (2)    | local (4)
/// IPv4 address specific (0x01, RFC 4360 s3.2):   IPv4 (4)  | local (2)
/// four-octet AS specific (0x02, RFC 5668 s2):    AS (4)    | local (2)
/// </code>
/// </summary>
/// <param name="Value">The 8 octets as a big-endian integer.</param>
public readonly record struct ExtendedCommunity(ulong Value) : IFixedSizeAttributeValue<ExtendedCommunity>
{
    /// <summary>Sub-type Route Target (RFC 4360 s4).</summary>
    public const byte RouteTargetSubType = 0x02;

    /// <summary>Sub-type Route Origin (RFC 4360 s5).</summary>
    public const byte RouteOriginSubType = 0x03;

    /// <inheritdoc/>
    public static int WireSize => 8;

    /// <inheritdoc/>
    public static ExtendedCommunity Read(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt64BigEndian(bytes));

    /// <summary>The type (high) octet.</summary>
    public byte Type => (byte)(Value >> 56);

    /// <summary>The sub-type (low type) octet, meaningful for the extended types.</summary>
    public byte SubType => (byte)(Value >> 48);

    /// <summary>False when the Transitive bit (0x40 of the type, set = non-transitive) is set.</summary>
    public bool IsTransitive => (Type & 0x40) == 0;

    /// <summary>True for a Route Target of the AS- or IPv4-specific types.</summary>
    public bool IsRouteTarget => (Type & 0x3F) <= 0x02 && SubType == RouteTargetSubType;

    /// <summary>True for a Route Origin (site of origin) of the AS- or IPv4-specific types.</summary>
    public bool IsRouteOrigin => (Type & 0x3F) <= 0x02 && SubType == RouteOriginSubType;

    /// <summary>
    /// Formats route targets and origins as "rt:65000:100", "soo:192.0.2.1:7", "rt:4200000000:1",
    /// colour (RFC 9012 s4.3) as "color:N", encapsulation (RFC 9012 s4.1) as "encap:N", anything
    /// else as the 16 hex digits "0x0002fde800000064".
    /// </summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var w = new CharWriter(destination);
        if (IsRouteTarget || IsRouteOrigin)
        {
            w.Put(IsRouteTarget ? "rt:" : "soo:");
            switch (Type & 0x3F)
            {
                case 0x00:
                    w.Put((Value >> 32) & 0xFFFF);
                    w.Put(':');
                    w.Put(Value & 0xFFFFFFFF);
                    break;
                case 0x01:
                    w.PutIPv4((uint)(Value >> 16));
                    w.Put(':');
                    w.Put(Value & 0xFFFF);
                    break;
                default:
                    w.Put((Value >> 16) & 0xFFFFFFFF);
                    w.Put(':');
                    w.Put(Value & 0xFFFF);
                    break;
            }
        }
        else if (Type == 0x03 && SubType == 0x0B)
        {
            w.Put("color:");
            w.Put(Value & 0xFFFFFFFF);
        }
        else if (Type == 0x03 && SubType == 0x0C)
        {
            w.Put("encap:");
            w.Put(Value & 0xFFFF);
        }
        else
        {
            w.Put("0x");
            w.Put(Value, "x16");
        }

        return w.Finish(out charsWritten);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[48];
        return TryFormat(buffer, out var n) ? new string(buffer[..n]) : string.Empty;
    }
}
