using System.Buffers.Binary;
using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Primitives;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Decoding;

/// <summary>
/// Randomized mutation of real messages inside real streams, decoded as the daemon decodes a router's
/// socket: a <see cref="BmpFramer"/> fed in chunks, then the session decoder. Any byte may be hit, the
/// common header included (version, a length off by a plausible amount, the type). Nothing may throw
/// or hang; a header left intact never costs the framing; when the framing survives, the next
/// well-formed message must come out exactly (JSON line for JSON line) as it does without the damaged
/// one; when it is lost, the loss is reported at a stream offset inside the damaged message or after.
/// </summary>
public sealed class StreamMutationTests(ITestOutputHelper output)
{
    private const int MutationCount = 110_000;

    // Length errors routers and broken middleboxes make: off by one or a few, by a header (common 6,
    // per-peer 42, BGP 19), by a TLV header, by a byte order swap of a small value.
    private static readonly int[] PlausibleLengthErrors = [1, 2, 3, 4, 6, 8, 16, 19, 42, 48, 256, 65536];

    [FixtureFact]
    public void Randomized_mutation_in_streams_never_throws_or_hangs_and_the_next_message_decodes_unchanged()
    {
        var streams = FixtureStream.All(Fixtures.RequireRoot()).Where(s => s.Messages.Count >= 2).ToList();
        var byType = streams
            .SelectMany((s, si) => s.Messages.Take(s.Messages.Count - 1).Select((m, i) => (Type: m.Message[5], Stream: si, Index: i)))
            .GroupBy(x => x.Type)
            .Select(g => g.Select(x => (x.Stream, x.Index)).ToArray())
            .ToArray();
        // Two workers (the suite's machine has two cores), each with its own seed, sink and references.
        var tallies = new[] { new Tally(), new Tally() };
        var failures = new Exception?[tallies.Length];
        var workers = tallies.Select((tally, w) => new Thread(() =>
        {
            try
            {
                Run(streams, byType, new Random(7606 + w), MutationCount / tallies.Length, tally);
            }
            catch (Exception e)
            {
                failures[w] = e;
            }
        })).ToArray();
        Array.ForEach(workers, w => w.Start());

        // A decoder that loops forever on some input would stop the whole suite: bound it.
        var deadline = DateTime.UtcNow.AddMinutes(4);
        Assert.True(
            workers.All(w => w.Join(TimeSpan.FromTicks(Math.Max(0, (deadline - DateTime.UtcNow).Ticks)))),
            $"mutation run did not finish in 4 minutes (at trials {string.Join(", ", tallies.Select(t => t.Trials))}): a decode hangs");
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw new Xunit.Sdk.XunitException($"{failure.Message}\n{failure.StackTrace}");
        }

        var tally = Tally.Sum(tallies);

        output.WriteLine(
            $"{tally.Trials} mutated messages ({tally.HeaderHits} with the common header hit) in {streams.Count} streams: " +
            $"{tally.Compared} next messages compared with the undamaged decode, {tally.Reported} damaged messages reported as malformed, " +
            $"{tally.Lost} framing losses reported, {tally.Desynced} framings that survived off step, {tally.StateChanged} mutated Peer Up/Down that decoded (next message not compared)");
        Assert.Equal(MutationCount, tally.Trials);
        Assert.True(tally.Compared > MutationCount / 2 && tally.Lost > 10_000 && tally.HeaderHits > MutationCount / 5, "the mutations must exercise both outcomes");
    }

    private static void Run(List<FixtureStream> streams, (int Stream, int Index)[][] byType, Random random, int trials, Tally tally)
    {
        using var sink = new TrialSink();
        var references = new Dictionary<(int, int), string>();
        for (var n = 0; n < trials; n++)
        {
            // Each message type is picked as often as any other: the rare ones are the fragile ones.
            var pool = byType[random.Next(byType.Length)];
            var (s, i) = pool[random.Next(pool.Length)];
            var stream = streams[s];
            var context = stream.ContextBefore(i);
            var original = stream.Messages[i].Message;
            var next = stream.Messages[i + 1].Message;

            if (!references.TryGetValue((s, i), out var reference))
            {
                sink.Reset(watched: -1, gate: context.Length);
                Assert.Null(sink.Run([.. context, .. next]));
                reference = sink.Output();
                references[(s, i)] = reference;
            }

            var damaged = (byte[])original.Clone();
            Mutate(damaged, random);
            var headerHit = !damaged.AsSpan(0, BmpCommonHeader.Size).SequenceEqual(original.AsSpan(0, BmpCommonHeader.Size));
            var framingHit = !damaged.AsSpan(0, 5).SequenceEqual(original.AsSpan(0, 5));
            byte[] trial = [.. context, .. damaged, .. next];
            long at = context.Length, nextAt = context.Length + damaged.Length;

            sink.Reset(watched: at, gate: nextAt);
            var lost = sink.Run(trial, [random.Next(trial.Length), random.Next(trial.Length)]);
            tally.Trials++;
            tally.HeaderHits += headerHit ? 1 : 0;
            tally.Reported += sink.WatchedError is not null ? 1 : 0;
            Assert.Equal(stream.ContextCount(i), sink.ContextMessages);

            if (!framingHit)
            {
                // Version and length intact: the damage is inside one message and costs only that message.
                Assert.True(lost is null, $"{stream.Name} message {i}: body damage lost the framing: {lost}");
                Assert.Contains(nextAt, sink.Delivered);
            }

            if (lost is { } error)
            {
                tally.Lost++;
                Assert.True(
                    error.StreamOffset >= at && error.StreamOffset + error.Error.Offset <= trial.Length,
                    $"{stream.Name} message {i}: framing loss reported at {error}, outside the damaged message (at {at}) and what follows");
                Assert.Contains(error.Error.Code, (DecodeErrorCode[])[DecodeErrorCode.BadVersion, DecodeErrorCode.BadLength, DecodeErrorCode.Truncated]);
            }
            else if (!sink.Delivered.Contains(nextAt))
            {
                tally.Desynced++;
            }
            else if (sink.WatchedChangedState)
            {
                tally.StateChanged++;
            }
            else
            {
                tally.Compared++;
                var got = sink.Output();
                Assert.True(
                    got == reference,
                    $"{stream.Name} message {i} damaged to {Convert.ToHexStringLower(damaged.AsSpan(0, Math.Min(64, damaged.Length)))}: the next message decoded differently\nexpected {reference}\ngot      {got}");
            }
        }
    }

    /// <summary>
    /// Three trials in ten hit the common header (any of its bytes at random, or the BMP length off by
    /// a plausible amount); every trial gets one to four body mutations: random bytes, bit flips,
    /// 0x00/0xFF, or a byte moved up or down a little, as a wrong length field looks.
    /// </summary>
    private static void Mutate(byte[] m, Random random)
    {
        if (random.Next(10) < 3)
        {
            if (random.Next(2) == 0)
            {
                m[random.Next(BmpCommonHeader.Size)] = (byte)random.Next(256);
            }
            else
            {
                var length = BinaryPrimitives.ReadUInt32BigEndian(m.AsSpan(1));
                var delta = (uint)PlausibleLengthErrors[random.Next(PlausibleLengthErrors.Length)];
                BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(1), random.Next(2) == 0 ? length + delta : length - delta);
            }
        }

        if (m.Length == BmpCommonHeader.Size)
        {
            return;
        }

        var count = random.Next(1, 5);
        for (var c = 0; c < count; c++)
        {
            var at = random.Next(BmpCommonHeader.Size, m.Length);
            m[at] = random.Next(5) switch
            {
                0 or 1 => (byte)random.Next(256),
                2 => (byte)(m[at] ^ (1 << random.Next(8))),
                3 => random.Next(2) == 0 ? (byte)0 : (byte)0xFF,
                _ => (byte)(m[at] + ((random.Next(2) * 2) - 1) * random.Next(1, 5)),
            };
        }
    }

    private sealed class Tally
    {
        public int Trials;
        public int HeaderHits;
        public int Reported;
        public int Compared;
        public int Lost;
        public int Desynced;
        public int StateChanged;

        public static Tally Sum(Tally[] tallies) => new()
        {
            Trials = tallies.Sum(t => t.Trials),
            HeaderHits = tallies.Sum(t => t.HeaderHits),
            Reported = tallies.Sum(t => t.Reported),
            Compared = tallies.Sum(t => t.Compared),
            Lost = tallies.Sum(t => t.Lost),
            Desynced = tallies.Sum(t => t.Desynced),
            StateChanged = tallies.Sum(t => t.StateChanged),
        };
    }
}
