using Bmpmon.Core.Decoding;
using Bmpmond.Output;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Decoding;

/// <summary>
/// TCP hands a collector its bytes in arbitrary pieces. Every fixture stream, fed in random chunk
/// sizes from 1 byte up, must give byte-for-byte the same decoded output (every message, every
/// route, every attribute) as the stream fed whole.
/// </summary>
public sealed class ChunkingTests(ITestOutputHelper output)
{
    [FixtureFact]
    public void Every_fixture_stream_decodes_identically_in_random_chunks()
    {
        var root = Fixtures.RequireRoot();

        var random = new Random(793);
        var streams = 0;
        foreach (var (name, payload) in FixtureStreams.FromCaptures(root))
        {
            var whole = Decode(payload, _ => payload.Length);
            var small = Decode(payload, _ => random.Next(1, 8));
            var mixed = Decode(payload, _ => random.Next(1, 3000));
            Assert.True(whole == small, $"{name}: output differs when fed in chunks of 1-7 bytes");
            Assert.True(whole == mixed, $"{name}: output differs when fed in chunks of 1-2999 bytes");
            streams++;
        }

        output.WriteLine($"{streams} streams decoded identically whole and in random chunks");
        Assert.True(streams > 0);
    }

    private static string Decode(byte[] payload, Func<int, int> chunkSize)
    {
        using var buffer = new MemoryStream();
        var errors = new StringWriter();
        using (var lines = new JsonLineWriter(buffer))
        {
            var sink = new MessageJsonSink(lines, new DecodeSummary(), errors) { Router = "r" };
            using var decoder = new BmpStreamDecoder();
            for (var offset = 0; offset < payload.Length;)
            {
                var n = Math.Min(chunkSize(offset), payload.Length - offset);
                decoder.Feed(payload.AsSpan(offset, n), ref sink);
                offset += n;
            }

            decoder.Complete(out _);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + errors;
    }
}
