namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// A list attribute value (COMMUNITIES, EXTENDED COMMUNITIES, LARGE_COMMUNITY, IPv6 extended
/// communities) viewed as elements of <typeparamref name="T"/>, decoded on demand. A trailing
/// partial element is ignored (the attribute decoder has already counted it as malformed).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly ref struct AttributeValueList<T>
    where T : struct, IFixedSizeAttributeValue<T>
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Creates a view over an attribute value.</summary>
    public AttributeValueList(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
    }

    /// <summary>Number of whole elements.</summary>
    public int Count => _bytes.Length / T.WireSize;

    /// <summary>The element at <paramref name="index"/>.</summary>
    public T this[int index] => T.Read(_bytes.Slice(index * T.WireSize, T.WireSize));

    /// <summary>Enumerates the elements without allocating.</summary>
    public Enumerator GetEnumerator() => new(_bytes);

    /// <summary>Allocation-free enumerator.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private int _next;

        internal Enumerator(ReadOnlySpan<byte> bytes)
        {
            _bytes = bytes;
            _next = 0;
            Current = default;
        }

        /// <summary>The current element.</summary>
        public T Current { get; private set; }

        /// <summary>Advances to the next element.</summary>
        public bool MoveNext()
        {
            var size = T.WireSize;
            if (_next + size > _bytes.Length)
            {
                return false;
            }

            Current = T.Read(_bytes.Slice(_next, size));
            _next += size;
            return true;
        }
    }
}
