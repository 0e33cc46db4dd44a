using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Sessions;

/// <summary>The framing of a BMP stream was lost: nothing after <see cref="StreamOffset"/> can be trusted.</summary>
/// <param name="StreamOffset">Offset in the stream of the message header that could not be read.</param>
/// <param name="Error">What was wrong with it (offset relative to that header).</param>
public readonly record struct FramingError(long StreamOffset, DecodeError Error)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Error.Reason} in {Error.Where} at stream offset {StreamOffset + Error.Offset}";
}
