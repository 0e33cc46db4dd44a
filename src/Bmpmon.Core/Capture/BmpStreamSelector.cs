using System.Buffers.Binary;

namespace Bmpmon.Core.Capture;

/// <summary>
/// Picks, among the TCP directions of a capture, the ones that carry BMP to the collector, and
/// reassembles them.
/// </summary>
internal static class BmpStreamSelector
{
    // RFC 7854 section 4.1 common header: version(1) message length(4) message type(1).
    private const int CommonHeaderLength = 6;
    private const int MaxPlausibleMessageLength = 16 * 1024 * 1024;
    private const byte MaxKnownMessageType = 6; // Route Mirroring; 0..6 are RFC 7854's types

    /// <summary>
    /// Returns the streams whose destination port is <paramref name="bmpPort"/> or, without one, the
    /// port most streams starting with a plausible BMP header go to (ties to the lower port).
    /// Directions that carried no payload (the collector's ACKs) are never streams.
    /// </summary>
    public static List<CaptureStream> Select(TcpConversationTable table, ReadOnlySpan<byte> file, ushort? bmpPort, out ushort? selectedPort)
    {
        var candidates = new List<(TcpConversation Conversation, TcpDirection Direction, byte[] Payload, List<CaptureGap> Gaps)>();
        var votes = new Dictionary<ushort, int>();
        foreach (var conversation in table.Conversations)
        {
            foreach (var direction in conversation.Directions)
            {
                if (direction.PayloadBytesSeen == 0 || (bmpPort is ushort port && direction.Destination.Port != port))
                {
                    continue;
                }

                var gaps = new List<CaptureGap>();
                byte[] payload = direction.Reassemble(file, gaps);
                if (payload.Length == 0)
                {
                    continue;
                }

                candidates.Add((conversation, direction, payload, gaps));
                if (bmpPort is null && StartsWithBmpHeader(payload))
                {
                    votes[direction.Destination.Port] = votes.GetValueOrDefault(direction.Destination.Port) + 1;
                }
            }
        }

        selectedPort = bmpPort ?? PickPort(votes);
        var streams = new List<CaptureStream>();
        foreach (var (conversation, direction, payload, gaps) in candidates)
        {
            if (direction.Destination.Port == selectedPort)
            {
                streams.Add(new CaptureStream
                {
                    Source = direction.Source.ToString(),
                    Destination = direction.Destination.ToString(),
                    Payload = payload,
                    Index = streams.Count,
                    TcpStream = conversation.Number,
                    Gaps = gaps,
                });
            }
        }

        return streams;
    }

    /// <summary>Whether <paramref name="payload"/> begins with a plausible BMP common header (RFC 7854 section 4.1).</summary>
    public static bool StartsWithBmpHeader(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < CommonHeaderLength)
        {
            return false;
        }

        // Version 3 is RFC 7854; 4 is draft-ietf-grow-bmp-tlv's, already sent by some exporters.
        uint length = BinaryPrimitives.ReadUInt32BigEndian(payload[1..]);
        return payload[0] is 3 or 4
            && length is >= CommonHeaderLength and <= MaxPlausibleMessageLength
            && payload[5] <= MaxKnownMessageType;
    }

    private static ushort? PickPort(Dictionary<ushort, int> votes)
    {
        ushort? best = null;
        int bestVotes = 0;
        foreach (var (port, count) in votes)
        {
            if (count > bestVotes || (count == bestVotes && port < best))
            {
                best = port;
                bestVotes = count;
            }
        }

        return best;
    }
}
