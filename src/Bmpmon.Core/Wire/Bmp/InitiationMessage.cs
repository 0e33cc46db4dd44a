using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// An Initiation message (RFC 7854 s4.3): no per-peer header, only Information TLVs (s4.4) whose
/// values are UTF-8 strings: String (0), sysDescr (1), sysName (2); types in <see cref="InitiationTlvType"/>.
/// RFC 7854 requires sysDescr and sysName, but their absence is not an error here: routers omit them.
/// </summary>
public readonly ref struct InitiationMessage
{
    private const int TlvsOffset = BmpCommonHeader.Size;

    private readonly ReadOnlySpan<byte> _tlvs;

    private InitiationMessage(ReadOnlySpan<byte> tlvs) => _tlvs = tlvs;

    /// <summary>A reader over the Information TLVs (validated by <see cref="TryParse"/>).</summary>
    public BmpTlvReader GetTlvs() => new(_tlvs, TlvsOffset);

    /// <summary>The value of the first TLV of <paramref name="type"/>, or false.</summary>
    public bool TryGetValue(InitiationTlvType type, out ReadOnlySpan<byte> value)
    {
        var reader = GetTlvs();
        while (reader.TryRead(out var tlv, out _))
        {
            if (tlv.Type == (ushort)type)
            {
                value = tlv.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Parses a whole Initiation message.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out InitiationMessage initiation, out DecodeError error)
    {
        initiation = default;
        if (!BmpMessageBody.TryOpen(message, out _, out var body, out error)
            || !BmpMessageBody.TryValidateTlvs(body.RemainingSpan, TlvsOffset, out error))
        {
            return false;
        }

        initiation = new InitiationMessage(body.RemainingSpan);
        return true;
    }
}
