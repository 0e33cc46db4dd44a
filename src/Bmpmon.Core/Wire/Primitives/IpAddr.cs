using System.Buffers.Binary;
using System.Net;

namespace Bmpmon.Core.Wire.Primitives;

/// <summary>
/// An IPv4 or IPv6 address held as an integer, so decoding a route allocates nothing.
/// IPv4 occupies the low 32 bits. <see cref="IPAddress"/> objects are made only at the edges
/// (output, storage), never on the decoding hot path.
/// </summary>
public readonly struct IpAddr : IEquatable<IpAddr>
{
    /// <summary>The address bits; an IPv4 address is in the low 32 bits.</summary>
    public UInt128 Value { get; }

    /// <summary>True for IPv6.</summary>
    public bool IsV6 { get; }

    /// <summary>False for the default value: no address was present.</summary>
    public bool HasValue { get; }

    private IpAddr(UInt128 value, bool isV6)
    {
        Value = value;
        IsV6 = isV6;
        HasValue = true;
    }

    /// <summary>Address length in bits: 32 or 128.</summary>
    public int BitLength => IsV6 ? 128 : 32;

    /// <summary>An IPv4 address from its 32-bit value.</summary>
    public static IpAddr FromV4(uint value) => new(value, isV6: false);

    /// <summary>An IPv6 address from its 128-bit value.</summary>
    public static IpAddr FromV6(UInt128 value) => new(value, isV6: true);

    /// <summary>An IPv4 address from 4 network-order bytes.</summary>
    public static IpAddr FromV4(ReadOnlySpan<byte> bytes) => FromV4(BinaryPrimitives.ReadUInt32BigEndian(bytes));

    /// <summary>An IPv6 address from 16 network-order bytes.</summary>
    public static IpAddr FromV6(ReadOnlySpan<byte> bytes) => FromV6(BinaryPrimitives.ReadUInt128BigEndian(bytes));

    /// <summary>
    /// An address from a prefix's significant bytes (<c>ceil(bits / 8)</c> of them, as NLRI carry
    /// them): missing trailing bytes are zero. Bits past the prefix length are kept as sent.
    /// </summary>
    public static IpAddr FromPrefixBytes(ReadOnlySpan<byte> bytes, bool isV6)
    {
        Span<byte> full = stackalloc byte[16];
        full.Clear();
        bytes[..Math.Min(bytes.Length, isV6 ? 16 : 4)].CopyTo(full);
        return isV6 ? FromV6(full) : FromV4(full);
    }

    /// <summary>Writes the address in network order (4 or 16 bytes) and returns the byte count.</summary>
    public int WriteBytes(Span<byte> destination)
    {
        if (IsV6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, Value);
            return 16;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Value);
        return 4;
    }

    /// <summary>The address as an <see cref="IPAddress"/> (allocates; for output only).</summary>
    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        var n = WriteBytes(bytes);
        return new IPAddress(bytes[..n]);
    }

    /// <summary>Formats the address in its usual text form.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        if (!HasValue)
        {
            charsWritten = 0;
            return true;
        }

        return ToIPAddress().TryFormat(destination, out charsWritten);
    }

    /// <inheritdoc/>
    public override string ToString() => HasValue ? ToIPAddress().ToString() : string.Empty;

    /// <inheritdoc/>
    public bool Equals(IpAddr other) => Value == other.Value && IsV6 == other.IsV6 && HasValue == other.HasValue;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IpAddr other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Value, IsV6);

    /// <summary>Equality.</summary>
    public static bool operator ==(IpAddr left, IpAddr right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(IpAddr left, IpAddr right) => !left.Equals(right);
}
