namespace Bmpmon.Core.Capture;

/// <summary>
/// The sequence ranges of one TCP direction already received, as sorted disjoint intervals, so that
/// a retransmission or an overlapping segment contributes only bytes nobody delivered before it
/// (the first copy wins, as in a receiving TCP).
/// </summary>
internal sealed class SequenceCoverage
{
    private readonly List<(long Start, long End)> _covered = [];

    /// <summary>
    /// Marks <c>[start, start + length)</c> as received and appends to <paramref name="pieces"/> the parts
    /// of it that were not received before, each naming its bytes in the file.
    /// </summary>
    public void Add(long start, int length, int fileOffset, List<TcpPiece> pieces)
    {
        long end = start + length;

        // Uncovered parts: walk the intervals that overlap [start, end).
        long cursor = start;
        for (int i = FirstEndingAfter(start, inclusive: false); i < _covered.Count && _covered[i].Start < end; i++)
        {
            if (_covered[i].Start > cursor)
            {
                pieces.Add(new TcpPiece(cursor, fileOffset + (int)(cursor - start), (int)(_covered[i].Start - cursor)));
            }

            cursor = Math.Max(cursor, _covered[i].End);
        }

        if (cursor < end)
        {
            pieces.Add(new TcpPiece(cursor, fileOffset + (int)(cursor - start), (int)(end - cursor)));
        }

        // Merge [start, end) with every interval it overlaps or touches. In-order data touches only
        // the last interval, so this is constant time in the common case.
        int first = FirstEndingAfter(start, inclusive: true);
        int last = first;
        long mergedStart = start, mergedEnd = end;
        while (last < _covered.Count && _covered[last].Start <= end)
        {
            mergedStart = Math.Min(mergedStart, _covered[last].Start);
            mergedEnd = Math.Max(mergedEnd, _covered[last].End);
            last++;
        }

        _covered.RemoveRange(first, last - first);
        _covered.Insert(first, (mergedStart, mergedEnd));
    }

    // Index of the first interval whose end is after (or, inclusive, at) position; intervals are
    // disjoint and sorted, so their ends are sorted too.
    private int FirstEndingAfter(long position, bool inclusive)
    {
        int low = 0, high = _covered.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            long midEnd = _covered[mid].End;
            if (midEnd > position || (inclusive && midEnd == position))
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return low;
    }
}
