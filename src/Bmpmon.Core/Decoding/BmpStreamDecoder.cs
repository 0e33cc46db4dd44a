using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;

namespace Bmpmon.Core.Decoding;

/// <summary>Frames and decodes one BMP stream: a <see cref="BmpFramer"/> feeding a <see cref="BmpSessionDecoder"/>.</summary>
public sealed class BmpStreamDecoder : IDisposable
{
    private readonly BmpFramer _framer;

    /// <summary>Creates a decoder for a new stream.</summary>
    public BmpStreamDecoder(uint maxMessageLength = BmpFramer.DefaultMaxMessageLength)
    {
        _framer = new BmpFramer(maxMessageLength);
    }

    /// <summary>The session state: monitored peers and their capabilities.</summary>
    public BmpSessionDecoder Session { get; } = new();

    /// <summary>The framer; its <see cref="BmpFramer.Error"/> is set once framing is lost.</summary>
    public BmpFramer Framer => _framer;

    /// <summary>Frames and decodes the next chunk. Returns false once the framing is lost.</summary>
    public bool Feed<TSink>(ReadOnlySpan<byte> chunk, ref TSink sink)
        where TSink : IBmpSink
    {
        var handler = new FrameHandler<TSink>(Session, ref sink);
        return _framer.Feed(chunk, ref handler);
    }

    /// <summary>Ends the stream; false when it ended inside a message or framing was lost.</summary>
    public bool Complete(out FramingError? error) => _framer.Complete(out error);

    /// <inheritdoc/>
    public void Dispose() => _framer.Dispose();

    private ref struct FrameHandler<TSink> : IBmpFrameHandler
        where TSink : IBmpSink
    {
        private readonly BmpSessionDecoder _session;
        private readonly ref TSink _sink;

        public FrameHandler(BmpSessionDecoder session, ref TSink sink)
        {
            _session = session;
            _sink = ref sink;
        }

        public readonly void OnMessage(in BmpCommonHeader header, ReadOnlySpan<byte> message, long streamOffset) =>
            _session.Decode(header, message, streamOffset, ref _sink);
    }
}
