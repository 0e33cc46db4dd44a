using Bmpmon.Core.Wire.Bmp;

namespace Bmpmon.Core.Decoding;

/// <summary>One framed BMP message as the decoder hands it to a sink: its header, bytes and place in the stream.</summary>
public readonly ref struct BmpMessage
{
    /// <summary>Creates the view.</summary>
    public BmpMessage(in BmpCommonHeader header, ReadOnlySpan<byte> bytes, long streamOffset)
    {
        Header = header;
        Bytes = bytes;
        StreamOffset = streamOffset;
    }

    /// <summary>The common header.</summary>
    public BmpCommonHeader Header { get; }

    /// <summary>The whole message, common header included; valid only during the sink call.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Offset of the message's first byte in its stream.</summary>
    public long StreamOffset { get; }
}
