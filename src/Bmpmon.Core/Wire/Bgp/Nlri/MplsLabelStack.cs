namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>
/// The MPLS label fields of one NLRI (RFC 8277 section 2, RFC 3032 section 2.1), up to four kept
/// inline so a labeled route allocates nothing. Each field is 3 bytes on the wire:
/// <code>
///  0                   1                   2
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                Label                  | TC  |S|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The raw 24-bit entries are kept (TC/EXP and bottom-of-stack bits, and the whole 24 bits for EVPN,
/// where RFC 8365 puts a VNI in the field).
/// </summary>
public readonly struct MplsLabelStack : IEquatable<MplsLabelStack>
{
    /// <summary>How many label fields are kept inline; further fields on the wire are consumed and counted in <see cref="WireCount"/>.</summary>
    public const int MaxInline = 4;

    private readonly uint _e0;
    private readonly uint _e1;
    private readonly uint _e2;
    private readonly uint _e3;
    private readonly byte _count;
    private readonly byte _wireCount;

    private MplsLabelStack(uint e0, uint e1, uint e2, uint e3, byte count, byte wireCount)
    {
        _e0 = e0;
        _e1 = e1;
        _e2 = e2;
        _e3 = e3;
        _count = count;
        _wireCount = wireCount;
    }

    /// <summary>Number of label fields kept (0 to <see cref="MaxInline"/>).</summary>
    public int Count => _count;

    /// <summary>Number of label fields that were on the wire (more than <see cref="Count"/> when a stack was deeper than four).</summary>
    public int WireCount => _wireCount;

    /// <summary>True when no label field is present.</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>The 20-bit label value of field <paramref name="index"/>.</summary>
    public uint this[int index] => RawEntry(index) >> 4;

    /// <summary>The whole 24-bit field <paramref name="index"/> as sent (label, TC/EXP, S).</summary>
    public uint RawEntry(int index)
    {
        if ((uint)index >= _count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        return index switch
        {
            0 => _e0,
            1 => _e1,
            2 => _e2,
            _ => _e3,
        };
    }

    /// <summary>The 3 Traffic Class (formerly EXP) bits of field <paramref name="index"/>.</summary>
    public byte TrafficClass(int index) => (byte)((RawEntry(index) >> 1) & 0x7);

    /// <summary>The bottom-of-stack bit of field <paramref name="index"/>.</summary>
    public bool IsBottomOfStack(int index) => (RawEntry(index) & 1) != 0;

    /// <summary>A stack holding the single 24-bit field <paramref name="entry"/>.</summary>
    public static MplsLabelStack FromEntry(uint entry) => default(MplsLabelStack).Push(entry);

    /// <summary>This stack with one more 24-bit field: kept inline while there is room, counted always.</summary>
    public MplsLabelStack Push(uint entry)
    {
        entry &= 0xFFFFFF;
        var wire = _wireCount == byte.MaxValue ? _wireCount : (byte)(_wireCount + 1);
        return _count switch
        {
            0 => new(entry, 0, 0, 0, 1, wire),
            1 => new(_e0, entry, 0, 0, 2, wire),
            2 => new(_e0, _e1, entry, 0, 3, wire),
            3 => new(_e0, _e1, _e2, entry, 4, wire),
            _ => new(_e0, _e1, _e2, _e3, _count, wire),
        };
    }

    /// <summary>Formats the label values separated by spaces ("16 17") without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var pos = 0;
        for (var i = 0; i < _count; i++)
        {
            if (i > 0)
            {
                if (pos >= destination.Length)
                {
                    charsWritten = 0;
                    return false;
                }

                destination[pos++] = ' ';
            }

            if (!this[i].TryFormat(destination[pos..], out var n))
            {
                charsWritten = 0;
                return false;
            }

            pos += n;
        }

        charsWritten = pos;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxInline * 8];
        return TryFormat(buffer, out var n) ? new string(buffer[..n]) : string.Empty;
    }

    /// <inheritdoc/>
    public bool Equals(MplsLabelStack other) =>
        _e0 == other._e0 && _e1 == other._e1 && _e2 == other._e2 && _e3 == other._e3
        && _count == other._count && _wireCount == other._wireCount;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MplsLabelStack other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_e0, _e1, _e2, _e3, _count, _wireCount);

    /// <summary>Equality.</summary>
    public static bool operator ==(MplsLabelStack left, MplsLabelStack right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(MplsLabelStack left, MplsLabelStack right) => !left.Equals(right);
}
