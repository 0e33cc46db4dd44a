using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>
/// Walks the capabilities of an OPEN: every Capabilities optional parameter (type 2, RFC 5492 s4),
/// each holding one or more capabilities (RFC 5492 allows both one parameter with many capabilities
/// and many parameters with one each: routers do both). Other parameter types are skipped. With
/// RFC 9072 extended optional parameters, parameter lengths are 2 bytes.
/// </summary>
public ref struct CapabilityReader
{
    /// <summary>The optional parameter type that carries capabilities (RFC 5492 s4).</summary>
    public const byte CapabilitiesParameterType = 2;

    private WireReader _parameters;
    private WireReader _current;
    private readonly bool _extended;

    /// <summary>Creates a reader over the optional parameters of an OPEN.</summary>
    /// <param name="parameters">The optional parameters bytes.</param>
    /// <param name="baseOffset">Absolute offset of the first parameter byte.</param>
    /// <param name="extended">True when the OPEN uses RFC 9072 extended (2-byte) parameter lengths.</param>
    public CapabilityReader(ReadOnlySpan<byte> parameters, int baseOffset, bool extended)
    {
        _parameters = new WireReader(parameters, baseOffset);
        _current = default;
        _extended = extended;
    }

    /// <summary>Reads the next capability. False at the end (error None) or on a malformed parameter or capability.</summary>
    public bool TryRead(out Capability capability, out DecodeError error)
    {
        while (_current.End)
        {
            if (_parameters.End)
            {
                capability = default;
                error = default;
                return false;
            }

            var start = _parameters.Offset;
            ushort length = 0;
            var ok = _parameters.TryReadByte(out var type);
            if (_extended)
            {
                ok = ok && _parameters.TryReadUInt16(out length);
            }
            else if (ok && _parameters.TryReadByte(out var shortLength))
            {
                length = shortLength;
            }
            else
            {
                ok = false;
            }

            if (!ok)
            {
                capability = default;
                error = new DecodeError(DecodeErrorCode.Truncated, start, "OPEN optional parameter header");
                return false;
            }

            if (!_parameters.TryReadSubReader(length, out var value))
            {
                capability = default;
                error = new DecodeError(DecodeErrorCode.Truncated, start + 1, "OPEN optional parameter length");
                return false;
            }

            if (type == CapabilitiesParameterType)
            {
                _current = value;
            }
        }

        var capStart = _current.Offset;
        if (!_current.TryReadByte(out var code) || !_current.TryReadByte(out var capLength))
        {
            capability = default;
            error = new DecodeError(DecodeErrorCode.Truncated, capStart, "capability header");
            return false;
        }

        if (!_current.TryReadBytes(capLength, out var capValue))
        {
            capability = default;
            error = new DecodeError(DecodeErrorCode.Truncated, capStart + 1, "capability length");
            return false;
        }

        capability = new Capability((CapabilityCode)code, capValue, capStart);
        error = default;
        return true;
    }
}
