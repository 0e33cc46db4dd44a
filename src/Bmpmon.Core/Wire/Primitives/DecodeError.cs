namespace Bmpmon.Core.Wire.Primitives;

/// <summary>
/// A decoding failure as a value: what went wrong, at which byte offset, and in which structure.
/// Decoders return it instead of throwing, so a malformed message costs one counted error and never
/// the session (see house style: exceptions only for bugs).
/// </summary>
/// <param name="Code">What went wrong.</param>
/// <param name="Offset">Byte offset of the offending field, relative to the start of the BMP message (or of the stream, for framing errors).</param>
/// <param name="Where">A static description of the structure being read, such as "per-peer header" or "MP_REACH_NLRI".</param>
public readonly record struct DecodeError(DecodeErrorCode Code, int Offset, string Where)
{
    /// <summary>True when this value describes a failure.</summary>
    public bool IsError => Code != DecodeErrorCode.None;

    /// <summary>A stable snake_case name of <see cref="Code"/>, used as a key in summaries and logs.</summary>
    public string Reason => ReasonOf(Code);

    /// <summary>The snake_case name of an error code.</summary>
    public static string ReasonOf(DecodeErrorCode code) => code switch
    {
        DecodeErrorCode.None => "none",
        DecodeErrorCode.Truncated => "truncated",
        DecodeErrorCode.BadLength => "bad_length",
        DecodeErrorCode.BadVersion => "bad_version",
        DecodeErrorCode.UnexpectedType => "unexpected_type",
        DecodeErrorCode.BadValue => "bad_value",
        DecodeErrorCode.TrailingBytes => "trailing_bytes",
        _ => "unknown",
    };

    /// <summary>The error with its offset moved by <paramref name="delta"/>, for a sub-structure decoded from a slice.</summary>
    public DecodeError Shift(int delta) => this with { Offset = Offset + delta };

    /// <inheritdoc/>
    public override string ToString() => $"{Reason} in {Where} at offset {Offset}";
}
