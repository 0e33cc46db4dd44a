namespace Bmpmon.Core.Wire.Iana;

/// <summary>Termination message TLV types (RFC 7854 s4.5, IANA "BMP Termination Message TLVs").</summary>
public enum TerminationTlvType : ushort
{
    /// <summary>Free-form UTF-8 string.</summary>
    String = 0,

    /// <summary>Reason: a 2-byte <see cref="TerminationReason"/>.</summary>
    Reason = 1,
}
