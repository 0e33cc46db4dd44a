using System.Buffers.Binary;
using System.Collections.Concurrent;
using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Decoding;

/// <summary>
/// Every real message of every fixture stream, cut at every byte offset, in a stream through the framer
/// and the session decoder: once as a stream that ends there (the framer reports the truncation at the
/// message's stream offset), once with the BMP length saying the cut length (the message is reported
/// malformed inside its bytes, and a well-formed message after it decodes exactly as on its own).
/// </summary>
public sealed class TruncationTests(ITestOutputHelper output)
{
    [FixtureFact]
    public void Every_real_message_cut_at_every_offset_is_reported_and_the_next_message_decodes_unchanged()
    {
        var streams = FixtureStream.All(Fixtures.RequireRoot());
        var messages = streams.SelectMany(s => s.Messages.Select(m => m.Message)).DistinctBy(Convert.ToBase64String).ToArray();
        var probe = Probe(streams);
        byte[] probeOutput;
        using (var sink = new TrialSink())
        {
            sink.Reset(watched: -1, gate: 0);
            Assert.Null(sink.Run(probe));
            probeOutput = System.Text.Encoding.UTF8.GetBytes(sink.Output());
        }

        var cuts = 0L;
        var decodedWhole = new ConcurrentDictionary<string, int>();
        var errors = new ConcurrentDictionary<string, int>();
        Parallel.ForEach(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = 2 },
            () => new TrialSink(),
            (message, _, sink) =>
            {
                CutEverywhere(message, probe, probeOutput, sink, decodedWhole, errors);
                Interlocked.Add(ref cuts, message.Length);
                return sink;
            },
            sink => sink.Dispose());

        output.WriteLine($"{messages.Length} distinct real messages cut at every offset: {cuts} cuts, each as a stream end and (from 6 bytes) as a short BMP length");
        output.WriteLine($"reported: {string.Join(", ", errors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))}");
        output.WriteLine($"cut at a boundary of their TLVs, decoded without error: {string.Join(", ", decodedWhole.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))}");
        Assert.True(messages.Length > 5000);
    }

    private static void CutEverywhere(byte[] message, byte[] probe, byte[] probeOutput, TrialSink sink, ConcurrentDictionary<string, int> decodedWhole, ConcurrentDictionary<string, int> errors)
    {
        var type = (BmpMessageType)message[5];

        // The stream ends inside the message: the framer holds it and reports it at its stream offset.
        for (var length = 0; length < message.Length; length++)
        {
            using var framer = new BmpFramer();
            var handler = default(NoHandler);
            framer.Feed(probe, ref handler);
            framer.Feed(message.AsSpan(0, length), ref handler);
            Assert.Equal(length == 0, framer.Complete(out var end));
            if (length > 0)
            {
                Assert.Equal(new FramingError(probe.Length, new DecodeError(DecodeErrorCode.Truncated, length, "BMP message at end of stream")), end);
            }
        }

        // The router says the message is this short: reported as malformed within its bytes, the framing
        // holds and the probe after it decodes as on its own. From the longest cut down, so one buffer
        // serves: the probe written after a cut only overwrites bytes the shorter cuts do not use.
        var buffer = new byte[message.Length + probe.Length];
        message.CopyTo(buffer, 0);
        for (var length = message.Length - 1; length >= BmpCommonHeader.Size; length--)
        {
            probe.CopyTo(buffer, length);
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(1), (uint)length);
            sink.Reset(watched: 0, gate: length);
            var framing = sink.Run(buffer.AsSpan(0, length + probe.Length));
            Assert.True(framing is null, $"{type} cut at {length}: {framing}");
            Assert.True(sink.Delivered is [var at] && at == length, $"{type} cut at {length}: the probe after it was not framed where it starts");
            if (sink.WatchedError is { } error)
            {
                Assert.True(error.Offset >= 0 && error.Offset <= length, $"{type} cut at {length}: {error} lies outside the message");
                errors.AddOrUpdate($"{error.Reason} in {error.Where}", 1, (_, n) => n + 1);
            }
            else
            {
                // Only a message that ends in a list of TLVs (or, for Route Monitoring, in bytes after the
                // UPDATE) can be cut so that what is left is whole.
                Assert.NotEqual(BmpMessageType.StatisticsReport, type);
                decodedWhole.AddOrUpdate(type.ToString(), 1, (_, n) => n + 1);
            }

            Assert.True(sink.WatchedChangedState || sink.OutputIs(probeOutput), $"{type} cut at {length}: the next message decoded differently:\n{sink.Output()}");
        }
    }

    private struct NoHandler : IBmpFrameHandler
    {
        public readonly void OnMessage(in BmpCommonHeader header, ReadOnlySpan<byte> message, long streamOffset)
        {
        }
    }

    /// <summary>The shortest real Route Monitoring message with routes that decodes cleanly on a session of its own.</summary>
    private static byte[] Probe(List<FixtureStream> streams)
    {
        using var sink = new TrialSink();
        foreach (var candidate in streams.SelectMany(s => s.Messages).Select(m => m.Message).Where(m => m[5] == 0).OrderBy(m => m.Length))
        {
            sink.Reset(watched: 0, gate: 0);
            if (sink.Run(candidate) is null && sink.WatchedError is null && sink.Output().Contains("\"routes\"", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no clean Route Monitoring message with routes in the fixtures");
    }
}
