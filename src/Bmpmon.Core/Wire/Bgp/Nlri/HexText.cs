namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>Allocation-free lower-case hex formatting for the identifiers NLRI carry (RD, ESI, MAC).</summary>
internal static class HexText
{
    private const string Digits = "0123456789abcdef";

    public static char Digit(int nibble) => Digits[nibble & 0xF];

    /// <summary>Writes "aa:bb:..." (3 chars per byte, minus one).</summary>
    public static bool TryWriteColonSeparated(ReadOnlySpan<byte> bytes, Span<char> destination, out int charsWritten)
    {
        var needed = bytes.IsEmpty ? 0 : bytes.Length * 3 - 1;
        if (destination.Length < needed)
        {
            charsWritten = 0;
            return false;
        }

        var pos = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i > 0)
            {
                destination[pos++] = ':';
            }

            destination[pos++] = Digit(bytes[i] >> 4);
            destination[pos++] = Digit(bytes[i]);
        }

        charsWritten = pos;
        return true;
    }

    public static string ColonSeparated(ReadOnlySpan<byte> bytes)
    {
        Span<char> buffer = stackalloc char[48];
        return TryWriteColonSeparated(bytes, buffer, out var n) ? new string(buffer[..n]) : string.Empty;
    }

    /// <summary>Writes the wire bytes of <paramref name="value"/> as "aa:bb:...", without allocating.</summary>
    public static bool TryWriteColonSeparated<T>(in T value, Span<char> destination, out int charsWritten)
        where T : struct, IFixedWireBytes
    {
        Span<byte> bytes = stackalloc byte[T.WireSize];
        value.WriteBytes(bytes);
        return TryWriteColonSeparated(bytes, destination, out charsWritten);
    }

    /// <summary>The wire bytes of <paramref name="value"/> as "aa:bb:...".</summary>
    public static string ColonSeparated<T>(in T value)
        where T : struct, IFixedWireBytes
    {
        Span<byte> bytes = stackalloc byte[T.WireSize];
        value.WriteBytes(bytes);
        return ColonSeparated(bytes);
    }
}
