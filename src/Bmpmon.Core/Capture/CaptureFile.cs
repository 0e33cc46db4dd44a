namespace Bmpmon.Core.Capture;

/// <summary>What <see cref="CaptureReader.Read"/> found in a capture file.</summary>
public sealed class CaptureFile
{
    internal CaptureFile(CaptureFormat format, IReadOnlyList<CaptureStream> streams, CaptureError? error, ushort? bmpPort)
    {
        Format = format;
        Streams = streams;
        Error = error;
        BmpPort = bmpPort;
    }

    /// <summary>The container recognised by the file's magic number.</summary>
    public CaptureFormat Format { get; }

    /// <summary>The router-to-collector BMP streams, ordered by <see cref="CaptureStream.Index"/>.</summary>
    public IReadOnlyList<CaptureStream> Streams { get; }

    /// <summary>Set when the file is truncated or corrupt; the streams hold what was read before it.</summary>
    public CaptureError? Error { get; }

    /// <summary>The collector port the streams were selected by (given or auto-detected); null for raw BMP or when none was found.</summary>
    public ushort? BmpPort { get; }
}
