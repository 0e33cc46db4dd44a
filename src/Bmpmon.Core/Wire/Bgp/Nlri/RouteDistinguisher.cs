using System.Buffers.Binary;

namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>
/// A Route Distinguisher (RFC 4364 section 4.2): 8 bytes, a 2-byte type then a 6-byte value whose
/// layout depends on the type. Held as one big-endian integer so VPN routes allocate nothing.
/// </summary>
/// <remarks>
/// <code>
///  type 0: | type (2) | administrator: 2-byte ASN (2) | assigned number (4) |   "64499:105"
///  type 1: | type (2) | administrator: IPv4 address (4) | assigned number (2) | "192.0.2.1:5"
///  type 2: | type (2) | administrator: 4-byte ASN (4) | assigned number (2) |   "4200000000:7"
/// </code>
/// Other types are written "type:hex" with the 6 value bytes as 12 hex digits.
/// </remarks>
/// <param name="Value">The 8 wire bytes as a big-endian integer.</param>
public readonly record struct RouteDistinguisher(ulong Value)
{
    /// <summary>Longest text form: "4294967295:65535" is shorter than "255.255.255.255:65535" (21 chars).</summary>
    public const int MaxFormattedLength = 21;

    /// <summary>The RD type (0, 1 or 2 in RFC 4364; anything else is kept and formatted as hex).</summary>
    public ushort Type => (ushort)(Value >> 48);

    /// <summary>The administrator subfield: a 2-byte ASN (type 0), an IPv4 address (type 1) or a 4-byte ASN (type 2).</summary>
    public uint Administrator => Type switch
    {
        0 => (uint)(Value >> 32) & 0xFFFF,
        _ => (uint)(Value >> 16),
    };

    /// <summary>The assigned number subfield: 4 bytes for type 0, 2 bytes for types 1 and 2.</summary>
    public uint AssignedNumber => Type switch
    {
        0 => (uint)Value,
        _ => (uint)Value & 0xFFFF,
    };

    /// <summary>Reads an RD from its 8 wire bytes.</summary>
    public static RouteDistinguisher Read(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt64BigEndian(bytes));

    /// <summary>Writes the 8 wire bytes.</summary>
    public void WriteBytes(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Value);

    /// <summary>Formats the RD as "admin:assigned" without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        var pos = 0;
        switch (Type)
        {
            case 0:
            case 2:
                if (!Administrator.TryFormat(destination, out var n))
                {
                    return false;
                }

                pos = n;
                break;
            case 1:
                var admin = Administrator;
                for (var shift = 24; shift >= 0; shift -= 8)
                {
                    if (!((admin >> shift) & 0xFF).TryFormat(destination[pos..], out var octet))
                    {
                        return false;
                    }

                    pos += octet;
                    if (shift > 0)
                    {
                        if (pos >= destination.Length)
                        {
                            return false;
                        }

                        destination[pos++] = '.';
                    }
                }

                break;
            default:
                if (!Type.TryFormat(destination, out var t))
                {
                    return false;
                }

                pos = t;
                if (destination.Length < pos + 13)
                {
                    return false;
                }

                destination[pos++] = ':';
                for (var shift = 44; shift >= 0; shift -= 4)
                {
                    destination[pos++] = HexText.Digit((int)(Value >> shift) & 0xF);
                }

                charsWritten = pos;
                return true;
        }

        if (pos >= destination.Length)
        {
            return false;
        }

        destination[pos++] = ':';
        if (!AssignedNumber.TryFormat(destination[pos..], out var a))
        {
            return false;
        }

        charsWritten = pos + a;
        return true;
    }

    /// <summary>The 8 wire bytes as colon-separated hex pairs ("00:01:c6:33:64:9a:02:01"), as Wireshark prints an EVPN RD.</summary>
    public string ToHexString()
    {
        Span<byte> bytes = stackalloc byte[8];
        WriteBytes(bytes);
        return HexText.ColonSeparated(bytes);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxFormattedLength];
        return TryFormat(buffer, out var n) ? new string(buffer[..n]) : string.Empty;
    }
}
