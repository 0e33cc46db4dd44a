using System.Diagnostics;
using Bmpmond.Pipeline;

namespace Bmpmond.Storage;

/// <summary>
/// One side of the PostgreSQL output's double buffer: session batches' binary records copied end
/// to end, with the router session each run of bytes came from (<see cref="PostgresBatchCommit"/>
/// needs it for the database ids). Filled on the pipeline thread, committed on the database
/// thread, never both at once: <see cref="GroupCommitQueue"/> hands it over under its lock.
/// </summary>
internal sealed class RecordBuffer
{
    private const int InitialBytes = 1 << 20;

    private readonly RecordSegments _segments = new();
    private byte[] _bytes = new byte[InitialBytes];

    /// <summary>Bytes held.</summary>
    public int Length { get; private set; }

    /// <summary>Routes held.</summary>
    public long Routes { get; private set; }

    /// <summary>When the first batch went in (<see cref="Stopwatch.GetTimestamp"/>), for the maximum wait.</summary>
    public long FirstAppended { get; private set; }

    public bool IsEmpty => Length == 0;

    /// <summary>The records, end to end.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    /// <summary>The array under <see cref="Bytes"/> (the commit hands slices of it to COPY as bytea, without copies).</summary>
    public byte[] Array => _bytes;

    /// <summary>Copies one session batch in; a run of the same session's batches stays one segment.</summary>
    public void Append(OutputBatch batch)
    {
        var bytes = batch.Bytes;
        if (Length + bytes.Length + 64 > _bytes.Length)
        {
            System.Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + bytes.Length + 64));
        }

        if (Length == 0)
        {
            FirstAppended = Stopwatch.GetTimestamp();
        }

        _segments.Add((PostgresRouterState)batch.Payload!, Length, bytes.Length);

        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
        Routes += batch.Routes;
    }

    /// <summary>Hands the segments to <paramref name="commit"/> (which keeps its own list) before a commit.</summary>
    public void LoadInto(PostgresBatchCommit commit)
    {
        commit.Segments.CopyFrom(_segments);
    }

    /// <summary>Empties the buffer; a buffer grown far past its usual size is given back.</summary>
    public void Clear()
    {
        _segments.Clear();
        Length = 0;
        Routes = 0;
        if (_bytes.Length > 64 * InitialBytes)
        {
            _bytes = new byte[InitialBytes];
        }
    }
}
