namespace Bmpmond.Replay;

/// <summary>
/// What an unpaced connection writes for its stream: the payload itself, or for a short stream sent
/// in a loop, several copies of it in one block, so that every write is large (one send per
/// <see cref="ChunkSize"/> bytes, never one per message or per short loop).
/// </summary>
/// <param name="Bytes">The payload repeated <paramref name="Copies"/> times.</param>
/// <param name="Copies">Copies of the stream in <paramref name="Bytes"/>.</param>
internal readonly record struct SendBlock(byte[] Bytes, int Copies)
{
    /// <summary>The largest single write; large enough that the kernel, not the tool, is the limit.</summary>
    public const int ChunkSize = 256 * 1024;

    /// <summary>The block for sending <paramref name="stream"/> <paramref name="loop"/> times; built once, shared by connections.</summary>
    public static SendBlock For(ReplayStream stream, int loop)
    {
        var length = stream.Payload.Length;
        if (loop == 1 || length == 0 || length >= ChunkSize / 2)
        {
            return new SendBlock(stream.Payload, 1);
        }

        var copies = Math.Min(loop, ChunkSize / length);
        return new SendBlock(stream.Repeated(copies), copies);
    }
}
