namespace Bmpmond.Storage;

/// <summary>
/// Which router session each run of a record buffer came from, in buffer order. A run of one
/// session's batches stays one segment: the commit walks segments, and fewer is cheaper.
/// </summary>
internal sealed class RecordSegments
{
    private readonly List<(PostgresRouterState State, int Offset, int Length)> _segments = [];

    public int Count => _segments.Count;

    /// <summary>Adds <paramref name="length"/> bytes at <paramref name="offset"/>, merged into the last segment when they continue it.</summary>
    public void Add(PostgresRouterState state, int offset, int length)
    {
        if (_segments.Count > 0 && _segments[^1] is var last && last.State == state && last.Offset + last.Length == offset)
        {
            _segments[^1] = (state, last.Offset, last.Length + length);
            return;
        }

        _segments.Add((state, offset, length));
    }

    /// <summary>Replaces these segments with <paramref name="other"/>'s.</summary>
    public void CopyFrom(RecordSegments other)
    {
        _segments.Clear();
        _segments.AddRange(other._segments);
    }

    public void Clear() => _segments.Clear();

    public List<(PostgresRouterState State, int Offset, int Length)>.Enumerator GetEnumerator() => _segments.GetEnumerator();
}
