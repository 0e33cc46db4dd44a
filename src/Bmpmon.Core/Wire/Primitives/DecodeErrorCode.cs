namespace Bmpmon.Core.Wire.Primitives;

/// <summary>Why a piece of router input could not be decoded.</summary>
/// <remarks>The names are stable: they key the error counts in <c>bmpmond decode --summary</c>.</remarks>
public enum DecodeErrorCode : byte
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>A field runs past the end of its enclosing message, attribute or TLV.</summary>
    Truncated,

    /// <summary>A length field is impossible for its context (too short, too long, not a multiple of the element size).</summary>
    BadLength,

    /// <summary>The BMP version is neither 3 (RFC 7854) nor 4 (draft-ietf-grow-bmp-tlv).</summary>
    BadVersion,

    /// <summary>A type code that has no decoding here where one is required (for example a BGP message type inside Route Monitoring).</summary>
    UnexpectedType,

    /// <summary>A field holds a value the RFC forbids (a prefix longer than its family allows, a BGP marker that is not all ones).</summary>
    BadValue,

    /// <summary>Bytes remain after the last element of a structure whose length is fixed by its header.</summary>
    TrailingBytes,
}
