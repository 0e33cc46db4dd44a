namespace Bmpmon.Core.Capture;

/// <summary>A run of payload bytes at an (unwrapped) sequence position, held as a slice of the capture file.</summary>
/// <param name="Start">Unwrapped sequence number of the first byte.</param>
/// <param name="FileOffset">Offset in the capture file of the first byte.</param>
/// <param name="Length">Number of bytes.</param>
internal readonly record struct TcpPiece(long Start, int FileOffset, int Length)
{
    public long End => Start + Length;
}
