using Bmpmon.Core.Decoding;
using Bmpmon.Core.Sessions;

namespace Bmpmond.Pipeline;

/// <summary>
/// A router session's side of an output: it sees every decoded message, route and event of one
/// router (as an <see cref="IBmpSink"/>) and encodes them into a batch that the session hands to
/// the writer thread after each socket read.
/// </summary>
internal interface ISessionOutput : IBmpSink
{
    /// <summary>What was encoded since the last call, or null when nothing was.</summary>
    OutputBatch? TakeBatch();

    /// <summary>
    /// The framing was lost (or the stream ended inside a message): <paramref name="unframed"/> are
    /// the bytes from the header that could not be used on, bounded by the message size limit.
    /// Called before the session's last <see cref="TakeBatch"/>.
    /// </summary>
    void OnFramingLost(in FramingError error, ReadOnlySpan<byte> unframed)
    {
    }

    /// <summary>Releases pooled buffers when the session ends.</summary>
    void Close();
}
