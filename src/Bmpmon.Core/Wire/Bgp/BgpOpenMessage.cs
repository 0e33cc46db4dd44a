using System.Buffers.Binary;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>
/// A BGP OPEN message (RFC 4271 s4.2) with its capabilities (RFC 5492) and RFC 9072 extended
/// optional parameters.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+
/// |    Version    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     My Autonomous System      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Hold Time           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         BGP Identifier                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Opt Parm Len  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             Optional Parameters (variable)                    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// RFC 9072: an Opt Parm Len of 255 followed by a parameter type of 255 announces a 2-byte
/// Extended Opt. Parm. Length, and every parameter then has a 2-byte length.
/// </summary>
public readonly ref struct BgpOpenMessage
{
    /// <summary>The RFC 9072 marker value of both Opt Parm Len and the first parameter type.</summary>
    public const byte ExtendedParametersMarker = 255;

    private const int FixedSize = 10;

    private readonly ReadOnlySpan<byte> _parameters;
    private readonly int _parametersOffset;

    /// <summary>The BGP version (4).</summary>
    public byte Version { get; }

    /// <summary>My Autonomous System: the 2-byte AS, or AS_TRANS (23456) when the real AS needs 4 bytes.</summary>
    public ushort MyAs { get; }

    /// <summary>The proposed hold time in seconds.</summary>
    public ushort HoldTime { get; }

    /// <summary>The BGP identifier, as a big-endian integer.</summary>
    public uint BgpId { get; }

    /// <summary>True when the OPEN uses RFC 9072 extended optional parameters.</summary>
    public bool HasExtendedParameters { get; }

    /// <summary>Length of the whole OPEN message, header included.</summary>
    public int MessageLength { get; }

    /// <summary>The AS from the 4-octet AS capability (RFC 6793) when present, else <see cref="MyAs"/>.</summary>
    public uint FourOctetAs { get; }

    /// <summary>True when the OPEN carries the 4-octet AS capability (code 65).</summary>
    public bool HasFourOctetAsCapability { get; }

    private BgpOpenMessage(byte version, ushort myAs, ushort holdTime, uint bgpId, ReadOnlySpan<byte> parameters, int parametersOffset, bool extended, int messageLength, uint fourOctetAs, bool hasFourOctetAs)
    {
        Version = version;
        MyAs = myAs;
        HoldTime = holdTime;
        BgpId = bgpId;
        _parameters = parameters;
        _parametersOffset = parametersOffset;
        HasExtendedParameters = extended;
        MessageLength = messageLength;
        FourOctetAs = fourOctetAs;
        HasFourOctetAsCapability = hasFourOctetAs;
    }

    /// <summary>The raw optional parameters.</summary>
    public ReadOnlySpan<byte> OptionalParameters => _parameters;

    /// <summary>A reader over the capabilities (already validated by <see cref="TryParse"/>).</summary>
    public CapabilityReader GetCapabilities() => new(_parameters, _parametersOffset, HasExtendedParameters);

    /// <summary>True when the OPEN carries a capability with <paramref name="code"/>.</summary>
    public bool HasCapability(CapabilityCode code)
    {
        var reader = GetCapabilities();
        while (reader.TryRead(out var capability, out _))
        {
            if (capability.Code == code)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses an OPEN message and validates its optional parameters and capabilities.
    /// </summary>
    /// <param name="bgpMessage">Bytes starting at the BGP marker; may extend past the message (the header length cuts it).</param>
    /// <param name="baseOffset">Absolute offset of the marker within the BMP message.</param>
    /// <param name="open">The OPEN when true.</param>
    /// <param name="error">The failure when false: a header error, <see cref="DecodeErrorCode.UnexpectedType"/> when not an OPEN, <see cref="DecodeErrorCode.Truncated"/> or <see cref="DecodeErrorCode.BadLength"/> in the body.</param>
    public static bool TryParse(ReadOnlySpan<byte> bgpMessage, int baseOffset, out BgpOpenMessage open, out DecodeError error)
    {
        open = default;
        if (!BgpMessageHeader.TryRead(bgpMessage, baseOffset, out var header, out error))
        {
            return false;
        }

        if (header.Type != BgpMessageType.Open)
        {
            error = new DecodeError(DecodeErrorCode.UnexpectedType, baseOffset + BgpMessageHeader.Size - 1, "BGP OPEN type");
            return false;
        }

        var body = bgpMessage[BgpMessageHeader.Size..header.Length];
        var bodyOffset = baseOffset + BgpMessageHeader.Size;
        if (body.Length < FixedSize)
        {
            error = new DecodeError(DecodeErrorCode.Truncated, bodyOffset + body.Length, "BGP OPEN");
            return false;
        }

        var version = body[0];
        var myAs = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
        var holdTime = BinaryPrimitives.ReadUInt16BigEndian(body[3..]);
        var bgpId = BinaryPrimitives.ReadUInt32BigEndian(body[5..]);
        int parametersLength = body[9];
        var parametersStart = FixedSize;
        var extended = false;
        if (parametersLength == ExtendedParametersMarker && body.Length > FixedSize && body[FixedSize] == ExtendedParametersMarker)
        {
            // RFC 9072 s2: Non-Ext OP Len 255, Non-Ext OP Type 255, then the 2-byte extended length.
            if (body.Length < FixedSize + 3)
            {
                error = new DecodeError(DecodeErrorCode.Truncated, bodyOffset + FixedSize, "BGP OPEN extended optional parameters length");
                return false;
            }

            parametersLength = BinaryPrimitives.ReadUInt16BigEndian(body[(FixedSize + 1)..]);
            parametersStart = FixedSize + 3;
            extended = true;
        }

        if (parametersLength > body.Length - parametersStart)
        {
            error = new DecodeError(DecodeErrorCode.BadLength, bodyOffset + (extended ? FixedSize + 1 : 9), "BGP OPEN optional parameters length");
            return false;
        }

        var parameters = body.Slice(parametersStart, parametersLength);
        var parametersOffset = bodyOffset + parametersStart;

        // Validate every capability once here, so consumers can iterate without error handling,
        // and pick up the 4-octet AS on the way.
        var reader = new CapabilityReader(parameters, parametersOffset, extended);
        var fourOctetAs = (uint)myAs;
        var hasFourOctetAs = false;
        while (reader.TryRead(out var capability, out error))
        {
            if (capability.Code == CapabilityCode.FourOctetAs && capability.Value.Length == 4)
            {
                fourOctetAs = BinaryPrimitives.ReadUInt32BigEndian(capability.Value);
                hasFourOctetAs = true;
            }
        }

        if (error.IsError)
        {
            return false;
        }

        open = new BgpOpenMessage(version, myAs, holdTime, bgpId, parameters, parametersOffset, extended, header.Length, fourOctetAs, hasFourOctetAs);
        return true;
    }
}
