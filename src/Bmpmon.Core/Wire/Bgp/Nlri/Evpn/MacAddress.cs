using System.Buffers.Binary;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>A 48-bit IEEE MAC address held in the low bits of a <see cref="ulong"/> (RFC 7432 section 7.2).</summary>
/// <param name="Value">The address; the first wire byte is bits 40-47.</param>
public readonly record struct MacAddress(ulong Value) : IFixedWireBytes
{
    /// <summary>Wire size in bytes.</summary>
    public const int Size = 6;

    static int IFixedWireBytes.WireSize => Size;

    /// <summary>Length of <see cref="ToString"/>: "aa:bb:cc:dd:ee:ff".</summary>
    public const int FormattedLength = Size * 3 - 1;

    /// <summary>Reads a MAC address from its 6 wire bytes.</summary>
    public static MacAddress Read(ReadOnlySpan<byte> bytes) =>
        new((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32 | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]));

    /// <summary>Writes the 6 wire bytes.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)Value);
    }

    /// <summary>Formats the address as "aa:bb:cc:dd:ee:ff" without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten) => HexText.TryWriteColonSeparated(this, destination, out charsWritten);

    /// <inheritdoc/>
    public override string ToString() => HexText.ColonSeparated(this);
}
