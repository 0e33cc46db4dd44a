using System.Buffers.Binary;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// One AS_PATH or AS4_PATH segment (RFC 4271 s4.3): type, ASN count and the ASN bytes, 2 or 4
/// octets each. After an RFC 6793 merge, segments from AS_PATH and AS4_PATH can have different widths.
/// </summary>
public readonly ref struct AsPathSegment
{
    private readonly ReadOnlySpan<byte> _asns;

    internal AsPathSegment(AsPathSegmentType type, ReadOnlySpan<byte> asns, int asnSize)
    {
        Type = type;
        _asns = asns;
        AsnSize = asnSize;
    }

    /// <summary>The segment type.</summary>
    public AsPathSegmentType Type { get; }

    /// <summary>ASN width in octets: 2 or 4.</summary>
    public int AsnSize { get; }

    /// <summary>Number of ASNs in the segment.</summary>
    public int Count => AsnSize == 0 ? 0 : _asns.Length / AsnSize;

    /// <summary>True for the RFC 5065 confederation segment types.</summary>
    public bool IsConfederation => Type is AsPathSegmentType.AsConfedSequence or AsPathSegmentType.AsConfedSet;

    /// <summary>Contribution to the path length (RFC 4271 s9.1.2.2, RFC 5065 s5.3): SEQUENCE its count, SET 1, confederation 0.</summary>
    public int PathLength => Type switch
    {
        AsPathSegmentType.AsSequence => Count,
        AsPathSegmentType.AsSet => 1,
        _ => 0,
    };

    /// <summary>The ASN at <paramref name="index"/>.</summary>
    public uint this[int index] => AsnSize == 4
        ? BinaryPrimitives.ReadUInt32BigEndian(_asns.Slice(index * 4, 4))
        : BinaryPrimitives.ReadUInt16BigEndian(_asns.Slice(index * 2, 2));

    /// <summary>Enumerates the ASNs without allocating.</summary>
    public Enumerator GetEnumerator() => new(_asns, AsnSize);

    /// <summary>Allocation-free enumerator over a segment's ASNs.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _asns;
        private readonly int _size;
        private int _pos;

        internal Enumerator(ReadOnlySpan<byte> asns, int size)
        {
            _asns = asns;
            _size = size;
            _pos = -size;
            Current = 0;
        }

        /// <summary>The current ASN.</summary>
        public uint Current { get; private set; }

        /// <summary>Advances to the next ASN.</summary>
        public bool MoveNext()
        {
            if (_size == 0)
            {
                return false;
            }

            var next = _pos + _size;
            if (next + _size > _asns.Length)
            {
                return false;
            }

            _pos = next;
            Current = _size == 4
                ? BinaryPrimitives.ReadUInt32BigEndian(_asns.Slice(next, 4))
                : BinaryPrimitives.ReadUInt16BigEndian(_asns.Slice(next, 2));
            return true;
        }
    }
}
