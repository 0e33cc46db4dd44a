namespace Bmpmon.Core.Capture;

/// <summary>Why reading a capture stopped early: the file is truncated or its framing is corrupt.</summary>
/// <param name="FileOffset">Offset in the file of the record or block that could not be read.</param>
/// <param name="Reason">What was wrong, in words fit for a log line.</param>
public readonly record struct CaptureError(long FileOffset, string Reason);
