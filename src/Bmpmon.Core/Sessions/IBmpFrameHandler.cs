using Bmpmon.Core.Wire.Bmp;

namespace Bmpmon.Core.Sessions;

/// <summary>Receives the complete messages a <see cref="BmpFramer"/> cuts out of a byte stream.</summary>
public interface IBmpFrameHandler
{
    /// <summary>
    /// One complete BMP message, common header included. The span is valid only during the call:
    /// it points into the caller's chunk or into the framer's reassembly buffer.
    /// </summary>
    void OnMessage(in BmpCommonHeader header, ReadOnlySpan<byte> message, long streamOffset);
}
