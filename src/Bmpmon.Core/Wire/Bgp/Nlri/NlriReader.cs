using System.Runtime.CompilerServices;
using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>
/// A forward-only reader over the NLRI bytes of one UPDATE field: the classic Withdrawn Routes or
/// NLRI fields (RFC 4271 section 4.3), or the NLRI part of MP_REACH_NLRI / MP_UNREACH_NLRI
/// (RFC 4760 sections 3, 4). Decodes one route per <see cref="TryRead"/> without allocating.
/// </summary>
/// <remarks>
/// Errors are returned once, with the absolute offset of the offending byte; the reader then stops
/// (a malformed NLRI leaves no way to find the next one). Per family:
/// <list type="bullet">
/// <item>unicast/multicast: a prefix length above 32/128 is <see cref="DecodeErrorCode.BadValue"/> at the length byte;</item>
/// <item>labeled unicast (RFC 8277) and VPN (RFC 4364): announcements carry label fields up to the
/// bottom-of-stack bit; a stack deeper than <see cref="MplsLabelStack.MaxInline"/> is consumed but only
/// the first four are kept. A length too short for the labels (no bottom of stack before the prefix
/// bits run out) or the RD is <see cref="DecodeErrorCode.BadLength"/> at the length byte. Withdrawals carry
/// exactly one label field, whatever its value (RFC 8277 section 2.4: 0x800000 or 0x000000);</item>
/// <item>EVPN (RFC 7432, RFC 9136): route types 1-5 decoded and checked against their lengths; unknown
/// route types are skipped by length and returned with their raw bytes, never an error;</item>
/// <item>any other family: one opaque NLRI covering the whole field, never an error.</item>
/// </list>
/// Host bits past the prefix length are kept as sent.
/// </remarks>
public ref struct NlriReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly AfiSafi _family;
    private readonly NlriFormat _format;
    private readonly bool _addPath;
    private readonly bool _isWithdrawal;
    private readonly byte _maxPrefixBits;
    private WireReader _reader;
    private bool _failed;

    /// <summary>Creates a reader over the NLRI bytes <paramref name="data"/>, whose first byte sits at <paramref name="baseOffset"/> in the BMP message.</summary>
    /// <param name="data">The NLRI bytes only (no attribute header, AFI/SAFI or next hop).</param>
    /// <param name="baseOffset">Absolute offset of <paramref name="data"/>[0] within the BMP message.</param>
    /// <param name="family">The family the bytes are encoded as.</param>
    /// <param name="addPath">True when every NLRI starts with a 4-byte path identifier (RFC 7911).</param>
    /// <param name="isWithdrawal">True for Withdrawn Routes and MP_UNREACH_NLRI (changes the label rule, RFC 8277 section 2.4).</param>
    public NlriReader(ReadOnlySpan<byte> data, int baseOffset, AfiSafi family, bool addPath, bool isWithdrawal)
    {
        _data = data;
        _reader = new WireReader(data, baseOffset);
        _family = family;
        _format = NlriFormats.Of(family);
        _addPath = addPath;
        _isWithdrawal = isWithdrawal;
        _maxPrefixBits = family.Afi == Afi.Ipv6 ? (byte)128 : (byte)32;
        _failed = false;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _reader.Position;

    /// <summary>True when every byte has been consumed (or an error stopped the reader).</summary>
    public readonly bool End => _failed || _reader.End;

    private readonly bool IsV6 => _maxPrefixBits == 128;

    /// <summary>
    /// Reads the next NLRI. Returns false with no error at the end of the data; false with an
    /// error on malformed data, after which the reader stays stopped.
    /// </summary>
    public bool TryRead(out Nlri nlri, out DecodeError error)
    {
        nlri = default;
        error = default;
        if (_failed || _reader.End)
        {
            return false;
        }

        var start = _reader.Position;
        var startOffset = _reader.Offset;
        if (_format == NlriFormat.Opaque)
        {
            // Without knowing the format there is no way to split the field: hand it over whole.
            nlri = new Nlri
            {
                Family = _family,
                IsOpaque = true,
                IsWithdrawal = _isWithdrawal,
                Raw = _reader.RemainingSpan,
                Offset = startOffset,
            };
            _reader.TrySkip(_reader.Remaining);
            return true;
        }

        uint pathId = 0;
        if (_addPath && !_reader.TryReadUInt32(out pathId))
        {
            return Fail(out error, _reader.Error(DecodeErrorCode.Truncated, "NLRI path identifier"));
        }

        if (_format == NlriFormat.Evpn)
        {
            return ReadEvpn(start, startOffset, pathId, out nlri, out error);
        }

        IpPrefix prefix;
        MplsLabelStack labels = default;
        RouteDistinguisher rd = default;
        var read = _format == NlriFormat.Prefix
            ? TryReadPrefix(out prefix, out error)
            : TryReadLabeledPrefix(out prefix, out labels, out rd, out error);
        if (!read)
        {
            _failed = true;
            return false;
        }

        nlri = new Nlri
        {
            Family = _family,
            HasPathId = _addPath,
            PathId = pathId,
            Prefix = prefix,
            HasRd = _format == NlriFormat.Vpn,
            Rd = rd,
            Labels = labels,
            IsWithdrawal = _isWithdrawal,
            Raw = _data[start.._reader.Position],
            Offset = startOffset,
        };
        return true;
    }

    /// <summary>Length in bits, then ceil(length / 8) prefix bytes (RFC 4271 section 4.3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadPrefix(out IpPrefix prefix, out DecodeError error)
    {
        prefix = default;
        if (!_reader.TryReadByte(out var bits))
        {
            error = _reader.Error(DecodeErrorCode.Truncated, "NLRI prefix length");
            return false;
        }

        if (bits > _maxPrefixBits)
        {
            error = new DecodeError(DecodeErrorCode.BadValue, _reader.Offset - 1, "NLRI prefix length");
            return false;
        }

        if (!_reader.TryReadBytes((bits + 7) >> 3, out var bytes))
        {
            error = _reader.Error(DecodeErrorCode.Truncated, "NLRI prefix");
            return false;
        }

        prefix = new IpPrefix(PrefixAddress.Read(bytes, IsV6), bits);
        error = default;
        return true;
    }

    /// <summary>
    /// Length in bits covering labels [+ RD] + prefix (RFC 8277 section 2, RFC 4364 section 4.3.4):
    /// <code>| Length (1) | Label (3) ... | [RD (8)] | Prefix (variable) |</code>
    /// </summary>
    private bool TryReadLabeledPrefix(out IpPrefix prefix, out MplsLabelStack labels, out RouteDistinguisher rd, out DecodeError error)
    {
        prefix = default;
        labels = default;
        rd = default;
        var where = _format == NlriFormat.Vpn ? "VPN NLRI" : "labeled NLRI";
        var lengthOffset = _reader.Offset;
        if (!_reader.TryReadByte(out var length))
        {
            error = _reader.Error(DecodeErrorCode.Truncated, where);
            return false;
        }

        if (!_reader.TryReadSubReader((length + 7) >> 3, out var field))
        {
            error = _reader.Error(DecodeErrorCode.Truncated, where);
            return false;
        }

        int bitsLeft = length;
        while (true)
        {
            // No bottom of stack before the bits ran out (or no room for a label at all).
            if (bitsLeft < 24 || !field.TryReadUInt24(out var entry))
            {
                error = new DecodeError(DecodeErrorCode.BadLength, lengthOffset, where);
                return false;
            }

            labels = labels.Push(entry);
            bitsLeft -= 24;

            // RFC 8277 section 2.4: a withdrawal carries one label field whose value is meaningless
            // (0x800000 per RFC 3107, 0x000000 from some speakers), with no bottom-of-stack bit set.
            if (_isWithdrawal || (entry & 1) != 0)
            {
                break;
            }
        }

        if (_format == NlriFormat.Vpn)
        {
            if (bitsLeft < 64 || !field.TryReadUInt64(out var rdValue))
            {
                error = new DecodeError(DecodeErrorCode.BadLength, lengthOffset, where);
                return false;
            }

            rd = new RouteDistinguisher(rdValue);
            bitsLeft -= 64;
        }

        if (bitsLeft > _maxPrefixBits)
        {
            error = new DecodeError(DecodeErrorCode.BadValue, lengthOffset, where);
            return false;
        }

        // Labels and RD are whole bytes, so what is left of the field is ceil(bitsLeft / 8) bytes.
        prefix = new IpPrefix(PrefixAddress.Read(field.RemainingSpan, IsV6), (byte)bitsLeft);
        error = default;
        return true;
    }

    /// <summary>Route Type (1) | Length (1, in bytes) | Route Type specific (RFC 7432 section 7).</summary>
    private bool ReadEvpn(int start, int startOffset, uint pathId, out Nlri nlri, out DecodeError error)
    {
        nlri = default;
        if (_reader.Remaining < 2)
        {
            return Fail(out error, _reader.Error(DecodeErrorCode.Truncated, "EVPN NLRI"));
        }

        _reader.TryReadByte(out var type);
        _reader.TryReadByte(out var length);
        var valueOffset = _reader.Offset;
        if (!_reader.TryReadBytes(length, out var value))
        {
            return Fail(out error, _reader.Error(DecodeErrorCode.Truncated, "EVPN NLRI"));
        }

        if (!EvpnNlri.TryDecode(type, value, valueOffset, out var route, out error))
        {
            _failed = true;
            return false;
        }

        nlri = new Nlri
        {
            Family = _family,
            HasPathId = _addPath,
            PathId = pathId,
            Prefix = route.RouteType == EvpnRouteType.IpPrefix ? new IpPrefix(route.Ip, route.IpLength) : default,
            HasRd = route.IsKnownType,
            Rd = route.Rd,
            Labels = route.Labels,
            IsEvpn = true,
            Evpn = route,
            IsWithdrawal = _isWithdrawal,
            Raw = _data[start.._reader.Position],
            Offset = startOffset,
        };
        return true;
    }

    private bool Fail(out DecodeError error, DecodeError value)
    {
        error = value;
        _failed = true;
        return false;
    }
}
