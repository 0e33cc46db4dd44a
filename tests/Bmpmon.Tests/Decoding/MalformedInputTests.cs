using System.Buffers.Binary;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Decoding;

/// <summary>
/// Router input can be anything. Real messages from the fixtures have every byte past the common
/// header perturbed the way broken length fields look; the decoder must never throw, and a
/// well-formed message decoded right after must come out as it does on a fresh session. Truncation
/// at every offset of every message is in <see cref="TruncationTests"/>, random mutation in streams in
/// <see cref="StreamMutationTests"/>, exact errors for wrong length fields in <see cref="WrongLengthTests"/>.
/// </summary>
public sealed class MalformedInputTests(ITestOutputHelper output)
{
    [FixtureFact]
    public void Every_byte_perturbed_like_a_wrong_length_field_is_survived()
    {
        var root = Fixtures.RequireRoot();

        var samples = Samples(root, perTypePerStream: 1);
        var probe = Probe.Create(samples);
        var decodes = 0;
        foreach (var message in samples)
        {
            // Every byte position past the common header: a length field there is off by one
            // either way, zero, or all ones; 16-bit fields get the same at both bytes.
            for (var i = BmpCommonHeader.Size; i < message.Length; i++)
            {
                foreach (var value in (ReadOnlySpan<int>)[message[i] + 1, message[i] - 1, 0, 0xFF])
                {
                    var mutated = (byte[])message.Clone();
                    mutated[i] = (byte)value;
                    probe.DecodeThenCheckRecovery(mutated);
                    decodes++;
                }

                if (i + 1 < message.Length)
                {
                    var mutated = (byte[])message.Clone();
                    var field = BinaryPrimitives.ReadUInt16BigEndian(mutated.AsSpan(i));
                    BinaryPrimitives.WriteUInt16BigEndian(mutated.AsSpan(i), (ushort)(field + 1));
                    probe.DecodeThenCheckRecovery(mutated);
                    decodes++;
                }
            }
        }

        output.WriteLine($"{samples.Count} messages, {decodes} perturbed decodes, {probe.Errors} reported errors");
    }

    [Fact]
    public void Unknown_bmp_message_type_is_reported_and_the_session_goes_on()
    {
        var decoder = new BmpSessionDecoder();
        var summary = new DecodeSummary();
        var sink = new SummarySink(summary);
        byte[] unknown = [3, 0, 0, 0, 10, 9, 1, 2, 3, 4];
        decoder.Decode(new BmpCommonHeader(3, 10, (BmpMessageType)9), unknown, 0, ref sink);

        Assert.Equal(1, summary.Errors["unexpected_type"]);
    }

    /// <summary>Up to <paramref name="perTypePerStream"/> messages of each type from each fixture stream.</summary>
    private static List<byte[]> Samples(string root, int perTypePerStream)
    {
        var samples = new List<byte[]>();
        foreach (var (_, payload) in FixtureStreams.FromCaptures(root))
        {
            samples.AddRange(FixtureStreams.Messages(payload).Select(m => m.Message).Where(m => m.Length > BmpCommonHeader.Size).GroupBy(m => (m[0], m[5])).SelectMany(g => g.Take(perTypePerStream)));
        }

        return samples;
    }

    /// <summary>
    /// Decodes the input on a new session, then on the same session a reference Route Monitoring
    /// message, which must decode cleanly to the same routes as on a session of its own.
    /// </summary>
    private sealed class Probe
    {
        private readonly DecodeSummary _summary = new();
        private readonly byte[] _reference;
        private readonly long _referenceRoutes;

        private Probe(byte[] reference, long referenceRoutes)
        {
            _reference = reference;
            _referenceRoutes = referenceRoutes;
        }

        public long Errors => _summary.Errors.Values.Sum();

        public static Probe Create(List<byte[]> samples)
        {
            // The reference: the first Route Monitoring message that decodes cleanly to routes on a fresh session.
            foreach (var candidate in samples.Where(m => m[5] == (byte)BmpMessageType.RouteMonitoring))
            {
                var summary = new DecodeSummary();
                var sink = new SummarySink(summary);
                new BmpSessionDecoder().Decode(Header(candidate), candidate, 0, ref sink);
                var routes = summary.Nlri.Values.Sum(c => c.Announced + c.Withdrawn);
                if (routes > 0 && summary.Errors.Count == 0)
                {
                    return new Probe(candidate, routes);
                }
            }

            throw new InvalidOperationException("no clean Route Monitoring message in the fixtures");
        }

        public void DecodeThenCheckRecovery(byte[] message)
        {
            var session = new BmpSessionDecoder();
            var sink = new SummarySink(_summary);
            session.Decode(Header(message), message, 0, ref sink);

            var check = new DecodeSummary();
            var checkSink = new SummarySink(check);
            session.Decode(Header(_reference), _reference, 0, ref checkSink);
            Assert.Empty(check.Errors);
            Assert.Equal(_referenceRoutes, check.Nlri.Values.Sum(c => c.Announced + c.Withdrawn));
        }

        private static BmpCommonHeader Header(byte[] message) =>
            new(message[0], BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(1)), (BmpMessageType)message[5]);
    }
}
