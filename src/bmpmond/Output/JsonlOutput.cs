using Bmpmond.Pipeline;

namespace Bmpmond.Output;

/// <summary><c>BMPMOND_OUTPUT=jsonl:PATH</c>: JSON lines appended to a file, or written to stdout for <c>-</c>.</summary>
internal sealed class JsonlOutput : IDaemonOutput
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;

    private JsonlOutput(string name, Stream stream, bool ownsStream)
    {
        Name = name;
        _stream = stream;
        _ownsStream = ownsStream;
    }

    public string Name { get; }

    /// <summary>Opens the file for appending (created if missing), or wraps <paramref name="stdout"/> for "-".</summary>
    public static JsonlOutput Open(string path, Stream stdout) =>
        path == "-"
            ? new JsonlOutput("jsonl:-", stdout, ownsStream: false)
            : new JsonlOutput($"jsonl:{path}", new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1 << 20), ownsStream: true);

    public ISessionOutput OpenSession(string router) => new JsonlSessionOutput(router);

    public void Write(OutputBatch batch) => _stream.Write(batch.Bytes);

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }
}
