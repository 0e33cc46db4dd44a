using Bmpmon.Core.Decoding;
using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;

namespace Bmpmon.Bench;

/// <summary>
/// The two passes every decode benchmark compares over the same bytes: framing alone (the baseline:
/// walk the stream and cut messages) and the full decode into <see cref="CountingSink"/>.
/// </summary>
internal static class StreamPasses
{
    /// <summary>Frames <paramref name="stream"/> without decoding; returns the message count.</summary>
    public static long Frame(byte[] stream)
    {
        using var framer = new BmpFramer();
        var handler = new NoOpFrameHandler();
        framer.Feed(stream, ref handler);
        return framer.MessageCount;
    }

    /// <summary>Decodes <paramref name="stream"/> as one router's session; returns the route count.</summary>
    public static long Decode(byte[] stream)
    {
        using var decoder = new BmpStreamDecoder();
        var sink = new CountingSink();
        decoder.Feed(stream, ref sink);
        return sink.Routes;
    }

    private struct NoOpFrameHandler : IBmpFrameHandler
    {
        public readonly void OnMessage(in BmpCommonHeader header, ReadOnlySpan<byte> message, long streamOffset)
        {
        }
    }
}
