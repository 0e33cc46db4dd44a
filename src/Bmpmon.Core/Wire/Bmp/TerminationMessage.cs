using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// A Termination message (RFC 7854 s4.5): TLVs only; String (0, UTF-8) and Reason (1, a 2-byte
/// <see cref="TerminationReason"/>).
/// </summary>
public readonly ref struct TerminationMessage
{
    private const int TlvsOffset = BmpCommonHeader.Size;

    private readonly ReadOnlySpan<byte> _tlvs;

    private TerminationMessage(ReadOnlySpan<byte> tlvs) => _tlvs = tlvs;

    /// <summary>A reader over the TLVs (validated by <see cref="TryParse"/>).</summary>
    public BmpTlvReader GetTlvs() => new(_tlvs, TlvsOffset);

    /// <summary>The reason code of the first Reason TLV, or false when absent or not 2 bytes long.</summary>
    public bool TryGetReason(out TerminationReason reason)
    {
        var reader = GetTlvs();
        while (reader.TryRead(out var tlv, out _))
        {
            if (tlv.Type == (ushort)TerminationTlvType.Reason && tlv.TryGetUInt16(out var code))
            {
                reason = (TerminationReason)code;
                return true;
            }
        }

        reason = default;
        return false;
    }

    /// <summary>The static name of a reason code.</summary>
    public static string ReasonName(TerminationReason reason) => reason switch
    {
        TerminationReason.AdministrativelyClosed => "Session administratively closed",
        TerminationReason.Unspecified => "Unspecified reason",
        TerminationReason.OutOfResources => "Out of resources",
        TerminationReason.RedundantConnection => "Redundant connection",
        TerminationReason.PermanentlyAdministrativelyClosed => "Session permanently administratively closed",
        _ => "Unknown reason",
    };

    /// <summary>Parses a whole Termination message.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out TerminationMessage termination, out DecodeError error)
    {
        termination = default;
        if (!BmpMessageBody.TryOpen(message, out _, out var body, out error)
            || !BmpMessageBody.TryValidateTlvs(body.RemainingSpan, TlvsOffset, out error))
        {
            return false;
        }

        termination = new TerminationMessage(body.RemainingSpan);
        return true;
    }
}
