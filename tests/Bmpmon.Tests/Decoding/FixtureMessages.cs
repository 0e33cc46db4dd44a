using Bmpmon.Core.Capture;
using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;

namespace Bmpmon.Tests.Decoding;

/// <summary>Real BMP messages cut out of the shared fixtures, for malformed-input and chunking tests.</summary>
internal static class FixtureMessages
{
    /// <summary>Every BMP stream of every capture under the fixtures root, with a name for messages.</summary>
    public static IEnumerable<(string Name, byte[] Payload)> Streams(string root)
    {
        foreach (var oracle in Directory.EnumerateFiles(root, "*.expected.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var capture = oracle[..^".expected.json".Length];
            var file = CaptureReader.Read(File.ReadAllBytes(capture));
            foreach (var stream in file.Streams)
            {
                yield return ($"{Path.GetFileName(capture)}#{stream.Index}", stream.Payload);
            }
        }
    }

    /// <summary>The complete messages of a stream, in order.</summary>
    public static List<byte[]> Split(byte[] stream)
    {
        var collector = new Collector { Messages = [] };
        using var framer = new BmpFramer();
        framer.Feed(stream, ref collector);
        return collector.Messages;
    }

    private struct Collector : IBmpFrameHandler
    {
        public List<byte[]> Messages;

        public readonly void OnMessage(in BmpCommonHeader header, ReadOnlySpan<byte> message, long streamOffset) => Messages.Add(message.ToArray());
    }
}
