namespace Bmpmon.Core.Capture;

/// <summary>
/// One direction of a TCP conversation: the segments seen, by sequence number, and their reassembly
/// into the byte stream the receiving application would have read.
/// </summary>
internal sealed class TcpDirection
{
    private readonly List<(TcpPiece Bytes, bool HasSyn)> _segments = []; // arrival order; unwrapped sequence numbers
    private uint _lastSequence;
    private long _lastUnwrapped;
    private long? _synUnwrapped;

    public TcpDirection(TcpEndpoint source, TcpEndpoint destination)
    {
        Source = source;
        Destination = destination;
    }

    public TcpEndpoint Source { get; }

    public TcpEndpoint Destination { get; }

    /// <summary>Whether any segment has been seen in this direction, which sets <see cref="BaseSequence"/>.</summary>
    public bool HasBaseSequence { get; private set; }

    /// <summary>The sequence number of the first segment seen, as Wireshark keeps it to spot port reuse.</summary>
    public uint BaseSequence { get; private set; }

    /// <summary>Payload bytes seen, counting duplicates.</summary>
    public long PayloadBytesSeen { get; private set; }

    public void Add(in TcpSegment segment)
    {
        long position = Unwrap(segment.SequenceNumber);
        bool syn = (segment.Flags & TcpFlags.Syn) != 0;
        if (syn && _synUnwrapped is null)
        {
            _synUnwrapped = position;
        }

        if (segment.PayloadLength > 0)
        {
            _segments.Add((new TcpPiece(position, segment.PayloadFileOffset, segment.PayloadLength), syn));
            PayloadBytesSeen += segment.PayloadLength;
        }
    }

    /// <summary>Puts the payload in sequence order, dropping bytes already delivered and noting holes.</summary>
    public byte[] Reassemble(ReadOnlySpan<byte> file, List<CaptureGap> gaps)
    {
        if (_segments.Count == 0)
        {
            return [];
        }

        // SYN consumes one sequence number (RFC 9293 section 3.4), so data sent with a SYN starts one
        // after it. Synthetic captures (pmacct's regression pcaps) put data in the SYN but number the
        // next segment as if the SYN took no sequence number: follow what the next segment says.
        int synDataShift = 1;
        if (_synUnwrapped is long syn && SynCarriesUncountedData(syn))
        {
            synDataShift = 0;
        }

        // With the handshake seen, the stream starts right after the SYN; a capture that starts
        // mid-connection starts at the lowest sequence number that carried data.
        long streamStart = long.MaxValue;
        if (_synUnwrapped is long isn)
        {
            streamStart = isn + synDataShift;
        }
        else
        {
            foreach (var (bytes, _) in _segments)
            {
                streamStart = Math.Min(streamStart, bytes.Start);
            }
        }

        var coverage = new SequenceCoverage();
        var pieces = new List<TcpPiece>(_segments.Count);
        foreach (var (bytes, hasSyn) in _segments)
        {
            long start = hasSyn ? bytes.Start + synDataShift : bytes.Start;
            int skip = (int)Math.Clamp(streamStart - start, 0, bytes.Length); // bytes before the stream start
            if (skip < bytes.Length)
            {
                coverage.Add(start + skip, bytes.Length - skip, bytes.FileOffset + skip, pieces);
            }
        }

        pieces.Sort(static (a, b) => a.Start.CompareTo(b.Start)); // disjoint after coverage: no ties
        long total = 0;
        foreach (var piece in pieces)
        {
            total += piece.Length;
        }

        var payload = new byte[total];
        long next = streamStart;
        int written = 0;
        foreach (var piece in pieces)
        {
            if (piece.Start > next)
            {
                gaps.Add(new CaptureGap(written, piece.Start - next));
            }

            file.Slice(piece.FileOffset, piece.Length).CopyTo(payload.AsSpan(written));
            written += piece.Length;
            next = piece.End;
        }

        return payload;
    }

    // Sequence numbers are 32-bit and wrap; positions are 64-bit, relative to the first segment, each
    // taken as the signed 32-bit step from the previous one (so earlier data goes negative).
    private long Unwrap(uint sequence)
    {
        if (!HasBaseSequence)
        {
            HasBaseSequence = true;
            BaseSequence = sequence;
            _lastSequence = sequence;
            _lastUnwrapped = 0;
            return 0;
        }

        _lastUnwrapped += (int)(sequence - _lastSequence);
        _lastSequence = sequence;
        return _lastUnwrapped;
    }

    private bool SynCarriesUncountedData(long syn)
    {
        int synLength = 0;
        foreach (var (bytes, hasSyn) in _segments)
        {
            if (hasSyn && bytes.Start == syn)
            {
                synLength = Math.Max(synLength, bytes.Length);
            }
        }

        if (synLength == 0)
        {
            return false;
        }

        bool nextAtUncounted = false, nextAtCounted = false;
        foreach (var (bytes, hasSyn) in _segments)
        {
            if (!hasSyn)
            {
                nextAtUncounted |= bytes.Start == syn + synLength;
                nextAtCounted |= bytes.Start == syn + 1 + synLength;
            }
        }

        return nextAtUncounted && !nextAtCounted;
    }
}
