using System.Buffers.Binary;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// The AS path of a route (RFC 4271 s4.3 and s5.1.2, RFC 5065 confederations, RFC 6793 AS4_PATH):
/// a view over the AS_PATH bytes, their ASN width (2 or 4), and, when an OLD (2-byte) speaker
/// sent it, the AS4_PATH bytes to merge. The merge of RFC 6793 s4.2.3 happens lazily while
/// enumerating, so building the view allocates and copies nothing.
/// </summary>
public readonly ref struct AsPath
{
    private const int SegmentHeader = 2;

    /// <summary>How much path length to take from AS_PATH before AS4_PATH; -1 when there is nothing to merge.</summary>
    private readonly int _take;

    internal AsPath(ReadOnlySpan<byte> asPath, int asnSize, ReadOnlySpan<byte> as4Path)
    {
        IsPresent = true;
        AsnSize = asnSize;
        AsPathBytes = asPath;
        _take = -1;
        if (!as4Path.IsEmpty)
        {
            // RFC 6793 s4.2.3: lengths are counted as for best-path selection (SET = 1,
            // confederation segments 0). An AS4_PATH longer than AS_PATH is ignored.
            var oldLength = PathLengthOf(asPath, asnSize);
            var newLength = PathLengthOf(as4Path, 4);
            if (oldLength >= newLength)
            {
                As4PathBytes = as4Path;
                _take = oldLength - newLength;
            }
        }
    }

    /// <summary>
    /// Builds a path view after checking both encodings (<see cref="IsWellFormed"/>); false when
    /// AS_PATH is malformed. A malformed AS4_PATH is left out, as RFC 6793 s6 discards it.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> asPath, int asnSize, ReadOnlySpan<byte> as4Path, out AsPath path)
    {
        if (asnSize is not (2 or 4) || !IsWellFormed(asPath, asnSize))
        {
            path = default;
            return false;
        }

        path = new AsPath(asPath, asnSize, IsWellFormed(as4Path, 4) ? as4Path : default);
        return true;
    }

    /// <summary>True when an AS_PATH attribute was present (possibly empty, as on iBGP).</summary>
    public bool IsPresent { get; }

    /// <summary>ASN width of <see cref="AsPathBytes"/>: 2 or 4.</summary>
    public int AsnSize { get; }

    /// <summary>The AS_PATH value as sent.</summary>
    public ReadOnlySpan<byte> AsPathBytes { get; }

    /// <summary>The AS4_PATH value being merged, empty when there is none or it is ignored.</summary>
    public ReadOnlySpan<byte> As4PathBytes { get; }

    /// <summary>Enumerates the merged segments.</summary>
    public AsPathEnumerator GetEnumerator() => new(AsPathBytes, AsnSize, As4PathBytes, _take);

    /// <summary>Path length for best-path selection: SEQUENCE counts each ASN, SET 1, confederation segments 0.</summary>
    public int Length
    {
        get
        {
            var n = 0;
            foreach (var s in this)
            {
                n += s.PathLength;
            }

            return n;
        }
    }

    /// <summary>Number of ASNs in all merged segments.</summary>
    public int AsnCount
    {
        get
        {
            var n = 0;
            foreach (var s in this)
            {
                n += s.Count;
            }

            return n;
        }
    }

    /// <summary>The originating AS: the last ASN when the path ends in an AS_SEQUENCE, else 0.</summary>
    public uint OriginAs
    {
        get
        {
            uint origin = 0;
            foreach (var s in this)
            {
                origin = s.Type == AsPathSegmentType.AsSequence && s.Count > 0 ? s[s.Count - 1] : 0;
            }

            return origin;
        }
    }

    /// <summary>The neighbouring AS: the first ASN outside the confederation when it starts an AS_SEQUENCE, else 0.</summary>
    public uint FirstAs
    {
        get
        {
            foreach (var s in this)
            {
                if (s.IsConfederation)
                {
                    continue;
                }

                return s.Type == AsPathSegmentType.AsSequence && s.Count > 0 ? s[0] : 0;
            }

            return 0;
        }
    }

    /// <summary>Copies the merged ASNs of all segments, in order, into <paramref name="destination"/>; returns how many were written.</summary>
    public int CopyAsns(Span<uint> destination)
    {
        var n = 0;
        foreach (var s in this)
        {
            foreach (var asn in s)
            {
                if (n >= destination.Length)
                {
                    return n;
                }

                destination[n++] = asn;
            }
        }

        return n;
    }

    /// <summary>
    /// Formats the merged path as "65001 65002 {65003,65004} (65005) [65006,65007]": SETs in
    /// braces, confederation sequences in parentheses, confederation sets in brackets.
    /// </summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        var pos = 0;
        var first = true;
        foreach (var s in this)
        {
            var (open, close, sep) = s.Type switch
            {
                AsPathSegmentType.AsSet => ('{', '}', ','),
                AsPathSegmentType.AsConfedSequence => ('(', ')', ' '),
                AsPathSegmentType.AsConfedSet => ('[', ']', ','),
                _ => ('\0', '\0', ' '),
            };
            if (!first && !TryPut(destination, ref pos, ' '))
            {
                return false;
            }

            first = false;
            if (open != '\0' && !TryPut(destination, ref pos, open))
            {
                return false;
            }

            var firstAsn = true;
            foreach (var asn in s)
            {
                if (!firstAsn && !TryPut(destination, ref pos, sep))
                {
                    return false;
                }

                firstAsn = false;
                if (!asn.TryFormat(destination[pos..], out var w, default, System.Globalization.CultureInfo.InvariantCulture))
                {
                    return false;
                }

                pos += w;
            }

            if (close != '\0' && !TryPut(destination, ref pos, close))
            {
                return false;
            }
        }

        charsWritten = pos;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[512];
        if (TryFormat(buffer, out var n))
        {
            return new string(buffer[..n]);
        }

        // Long paths (prepending storms): an exact-size buffer. Output only, never the hot path.
        var big = new char[(AsnCount * 12) + 16 + (AsPathBytes.Length * 2)];
        return TryFormat(big, out n) ? new string(big, 0, n) : string.Empty;
    }

    /// <summary>
    /// True when <paramref name="bytes"/> is a well-formed AS_PATH for the given ASN width
    /// (RFC 7606 s7.2): known segment types, no empty segment, segments exactly filling the value.
    /// An empty value is well formed.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> bytes, int asnSize)
    {
        var pos = 0;
        while (pos < bytes.Length)
        {
            if (pos + SegmentHeader > bytes.Length)
            {
                return false;
            }

            var type = bytes[pos];
            var count = bytes[pos + 1];
            if (type is < 1 or > 4 || count == 0)
            {
                return false;
            }

            pos += SegmentHeader + (count * asnSize);
        }

        return pos == bytes.Length;
    }

    private static int PathLengthOf(ReadOnlySpan<byte> bytes, int asnSize)
    {
        var pos = 0;
        var length = 0;
        while (pos + SegmentHeader <= bytes.Length)
        {
            var type = (AsPathSegmentType)bytes[pos];
            var count = bytes[pos + 1];
            length += type switch
            {
                AsPathSegmentType.AsSequence => count,
                AsPathSegmentType.AsSet => 1,
                _ => 0,
            };
            pos += SegmentHeader + (count * asnSize);
        }

        return length;
    }

    private static bool TryPut(Span<char> destination, ref int pos, char c)
    {
        if (pos >= destination.Length)
        {
            return false;
        }

        destination[pos++] = c;
        return true;
    }

    /// <summary>Reads one ASN of <paramref name="size"/> octets.</summary>
    internal static uint ReadAsn(ReadOnlySpan<byte> bytes, int size) =>
        size == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes);
}
