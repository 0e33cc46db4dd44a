namespace Bmpmon.Core.Capture;

/// <summary>
/// Bytes of a TCP stream that the capture never saw (a hole in the sequence space).
/// The payload skips them: <see cref="StreamOffset"/> is where in <see cref="CaptureStream.Payload"/>
/// the missing bytes would have started.
/// </summary>
/// <param name="StreamOffset">Offset in the reassembled payload at which the hole lies.</param>
/// <param name="MissingBytes">How many sequence numbers are missing there.</param>
public readonly record struct CaptureGap(long StreamOffset, long MissingBytes);
