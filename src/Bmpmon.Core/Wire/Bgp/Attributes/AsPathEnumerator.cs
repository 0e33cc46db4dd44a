namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// Walks the segments of an <see cref="AsPath"/> after the RFC 6793 s4.2.3 merge, without
/// allocating: first the leading part of AS_PATH (every confederation segment, then ASNs until the
/// AS_PATH length exceeds the AS4_PATH length by nothing), then AS4_PATH without its
/// confederation segments. Without an AS4_PATH to merge, it simply walks AS_PATH.
/// </summary>
public ref struct AsPathEnumerator
{
    private const int SegmentHeader = 2;
    private readonly ReadOnlySpan<byte> _asPath;
    private readonly ReadOnlySpan<byte> _as4Path;
    private readonly int _asnSize;
    private readonly bool _merge;
    private int _budget;
    private int _phase;
    private int _pos;

    internal AsPathEnumerator(ReadOnlySpan<byte> asPath, int asnSize, ReadOnlySpan<byte> as4Path, int take)
    {
        _asPath = asPath;
        _as4Path = as4Path;
        _asnSize = asnSize;
        _merge = take >= 0;
        _budget = take;
        _phase = 0;
        _pos = 0;
        Current = default;
    }

    /// <summary>The current segment.</summary>
    public AsPathSegment Current { get; private set; }

    /// <summary>Advances to the next segment.</summary>
    public bool MoveNext()
    {
        while (_phase < 2)
        {
            var bytes = _phase == 0 ? _asPath : _as4Path;
            var size = _phase == 0 ? _asnSize : 4;
            if (_pos + SegmentHeader > bytes.Length || size == 0)
            {
                NextPhase();
                continue;
            }

            var type = (AsPathSegmentType)bytes[_pos];
            var count = bytes[_pos + 1];
            var asnStart = _pos + SegmentHeader;
            if (asnStart + (count * size) > bytes.Length)
            {
                // Validated before an AsPath is built; stop rather than throw if it was not.
                NextPhase();
                continue;
            }

            var asns = bytes.Slice(asnStart, count * size);
            var confed = type is AsPathSegmentType.AsConfedSequence or AsPathSegmentType.AsConfedSet;
            if (_phase == 1)
            {
                _pos = asnStart + (count * size);

                // RFC 6793 s6: confederation segments in AS4_PATH are discarded.
                if (confed)
                {
                    continue;
                }

                Current = new AsPathSegment(type, asns, size);
                return true;
            }

            if (_merge && !confed)
            {
                if (_budget == 0)
                {
                    NextPhase();
                    continue;
                }

                if (type == AsPathSegmentType.AsSequence && count > _budget)
                {
                    // Only the leading ASNs of this SEQUENCE precede what AS4_PATH carries.
                    asns = asns[..(_budget * size)];
                    _budget = 0;
                    Current = new AsPathSegment(type, asns, size);
                    _pos = asnStart + (count * size);
                    return true;
                }

                _budget -= type == AsPathSegmentType.AsSequence ? count : 1;
            }

            // Confederation segments of AS_PATH are always kept: AS4_PATH never carries them
            // (RFC 6793 s3), so AS_PATH is their only source.
            _pos = asnStart + (count * size);
            Current = new AsPathSegment(type, asns, size);
            return true;
        }

        return false;
    }

    private void NextPhase()
    {
        _phase = _phase == 0 && _merge ? 1 : 2;
        _pos = 0;
    }

    /// <summary>Returns this enumerator (lets <c>foreach</c> work on it directly).</summary>
    public readonly AsPathEnumerator GetEnumerator() => this;
}
