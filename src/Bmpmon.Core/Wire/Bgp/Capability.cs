using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>One capability from an OPEN's Capabilities optional parameter (RFC 5492 s4): code (1), length (1), value.</summary>
public readonly ref struct Capability
{
    /// <summary>The capability code; unknown codes are kept with their raw value.</summary>
    public CapabilityCode Code { get; }

    /// <summary>The capability value.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Absolute offset of the capability code within the BMP message.</summary>
    public int Offset { get; }

    /// <summary>Creates a capability view.</summary>
    public Capability(CapabilityCode code, ReadOnlySpan<byte> value, int offset)
    {
        Code = code;
        Value = value;
        Offset = offset;
    }

    /// <summary>Absolute offset of the value within the BMP message.</summary>
    public int ValueOffset => Offset + 2;
}
