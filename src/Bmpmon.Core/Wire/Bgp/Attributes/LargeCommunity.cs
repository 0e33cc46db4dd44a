using System.Buffers.Binary;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>A LARGE_COMMUNITY element (RFC 8092 s3): three 32-bit values, written "a:b:c".</summary>
/// <param name="GlobalAdministrator">The AS that defined the community.</param>
/// <param name="LocalData1">First operator-defined value.</param>
/// <param name="LocalData2">Second operator-defined value.</param>
public readonly record struct LargeCommunity(uint GlobalAdministrator, uint LocalData1, uint LocalData2)
    : IFixedSizeAttributeValue<LargeCommunity>
{
    /// <inheritdoc/>
    public static int WireSize => 12;

    /// <inheritdoc/>
    public static LargeCommunity Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt32BigEndian(bytes),
        BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
        BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]));

    /// <summary>Formats as "a:b:c".</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var w = new CharWriter(destination);
        w.Put(GlobalAdministrator);
        w.Put(':');
        w.Put(LocalData1);
        w.Put(':');
        w.Put(LocalData2);
        return w.Finish(out charsWritten);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[32];
        return TryFormat(buffer, out var n) ? new string(buffer[..n]) : string.Empty;
    }
}
