using Bmpmon.Core.Capture;
using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;

namespace Bmpmon.Tests;

/// <summary>
/// The BMP streams of the shared fixtures (<see cref="Fixtures.Root"/>) and the messages in them, cut
/// by the real <see cref="BmpFramer"/> (RFC 7854 s3.2): a stream stops at a partial tail or at a header
/// the framer rejects, as a session would.
/// </summary>
internal static class FixtureStreams
{
    private const string OracleSuffix = ".expected.json";

    /// <summary>Every BMP stream of every capture that has an oracle, read through <see cref="CaptureReader"/>, with a name for messages.</summary>
    public static IEnumerable<(string Name, byte[] Payload)> FromCaptures(string root)
    {
        foreach (var oracle in Directory.EnumerateFiles(root, "*" + OracleSuffix, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var capture = oracle[..^OracleSuffix.Length];
            var file = CaptureReader.Read(File.ReadAllBytes(capture));
            foreach (var stream in file.Streams)
            {
                yield return ($"{Path.GetFileName(capture)}#{stream.Index}", stream.Payload);
            }
        }
    }

    /// <summary>Every raw BMP stream file: <c>*/streams/*.bmp</c> (extracted per TCP stream), then <c>bmp_play/bmp.dump</c>.</summary>
    public static IEnumerable<string> RawFiles(string root)
    {
        foreach (var dir in Directory.GetDirectories(root))
        {
            if (Directory.Exists(Path.Combine(dir, "streams")))
            {
                foreach (var file in RawFiles(root, Path.GetFileName(dir)))
                {
                    yield return file;
                }
            }
        }

        var dump = Path.Combine(root, "bmp_play", "bmp.dump");
        if (File.Exists(dump))
        {
            yield return dump;
        }
    }

    /// <summary>The raw BMP stream files of one fixture folder (<c>folder/streams/*.bmp</c>), in name order.</summary>
    public static string[] RawFiles(string root, string folder) =>
        [.. Directory.GetFiles(Path.Combine(root, folder, "streams"), "*.bmp").Order(StringComparer.Ordinal)];

    /// <summary>The complete messages of a raw stream file, in order, with their stream offsets.</summary>
    public static List<(long Offset, byte[] Message)> Messages(string file) => Messages(File.ReadAllBytes(file));

    /// <summary>The complete messages of a stream, in order, with their stream offsets.</summary>
    public static List<(long Offset, byte[] Message)> Messages(byte[] stream)
    {
        var collector = new Collector { Messages = [] };
        using var framer = new BmpFramer();
        framer.Feed(stream, ref collector);
        return collector.Messages;
    }

    private struct Collector : IBmpFrameHandler
    {
        public List<(long Offset, byte[] Message)> Messages;

        public readonly void OnMessage(in BmpCommonHeader header, ReadOnlySpan<byte> message, long streamOffset) =>
            Messages.Add((streamOffset, message.ToArray()));
    }
}
