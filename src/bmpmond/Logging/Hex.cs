namespace Bmpmond.Logging;

/// <summary>Hex dumps for log lines.</summary>
internal static class Hex
{
    /// <summary>The limit: DEBUG and malformed-message lines carry the first 256 bytes of a message.</summary>
    public const int DefaultMaxBytes = 256;

    /// <summary>Lowercase hex of at most <paramref name="max"/> bytes from the start of <paramref name="bytes"/>.</summary>
    public static string FirstBytes(ReadOnlySpan<byte> bytes, int max = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return Convert.ToHexStringLower(bytes.Length > max ? bytes[..max] : bytes);
    }
}
