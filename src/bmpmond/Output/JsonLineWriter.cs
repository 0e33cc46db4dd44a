using System.Buffers;
using System.Text.Json;

namespace Bmpmond.Output;

/// <summary>
/// Writes one compact JSON object per line (JSON Lines) to a stream. The UTF-8 writer and its buffer
/// are reused from line to line; output is flushed to the stream in large blocks.
/// </summary>
internal sealed class JsonLineWriter : IDisposable
{
    private const int FlushThreshold = 64 * 1024;

    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter _json;

    public JsonLineWriter(Stream stream)
    {
        _stream = stream;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false, SkipValidation = false });
    }

    /// <summary>The writer for the current line: write exactly one JSON value, then call <see cref="EndLine"/>.</summary>
    public Utf8JsonWriter Json => _json;

    /// <summary>Ends the current line.</summary>
    public void EndLine()
    {
        _json.Flush();
        _buffer.Write("\n"u8);
        _json.Reset(_buffer);
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            Flush();
        }
    }

    /// <summary>Writes out what is buffered.</summary>
    public void Flush()
    {
        _json.Flush();
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _stream.Flush();
    }

    public void Dispose()
    {
        Flush();
        _json.Dispose();
    }
}
