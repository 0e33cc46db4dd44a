namespace Bmpmond.Replay;

/// <summary>What one replay connection achieved.</summary>
/// <param name="Bytes">Bytes the kernel accepted for sending.</param>
/// <param name="Messages">Whole BMP messages within those bytes.</param>
/// <param name="Error">Why the connection failed; null when it sent everything.</param>
internal readonly record struct ConnectionResult(long Bytes, long Messages, string? Error);
