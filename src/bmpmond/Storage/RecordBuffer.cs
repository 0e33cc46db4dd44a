using System.Diagnostics;
using Bmpmond.Pipeline;

namespace Bmpmond.Storage;

/// <summary>
/// One side of the PostgreSQL output's double buffer: session batches' binary records copied end
/// to end, with the router session each run of bytes came from (<see cref="PostgresBatchCommit"/>
/// needs it for the database ids). Filled on the pipeline thread, committed on the database
/// thread, never both at once: <see cref="GroupCommitQueue"/> hands it over under its lock.
/// The array grows by doubling up to <see cref="MaxCapacity"/>, the queue's share of the pending
/// bound for one buffer, and only past it for a single batch that is larger on its own.
/// </summary>
internal sealed class RecordBuffer
{
    private const int InitialBytes = 1 << 20;

    /// <summary>Bytes kept free after the records on every append.</summary>
    private const int Slack = 64;

    private readonly RecordSegments _segments = new();
    private byte[] _bytes;

    /// <param name="maxCapacity">The array size the buffer grows to at most while it holds more than one batch.</param>
    public RecordBuffer(int maxCapacity = int.MaxValue)
    {
        MaxCapacity = Math.Max(maxCapacity, 4096);
        _bytes = new byte[Math.Min(InitialBytes, MaxCapacity)];
    }

    /// <summary>The array size this buffer stays within (see <see cref="Fits"/>).</summary>
    public int MaxCapacity { get; }

    /// <summary>The array's size: what the buffer holds in memory, written or not.</summary>
    public int Capacity => _bytes.Length;

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

    /// <summary>True when <paramref name="length"/> more bytes fit without growing past <see cref="MaxCapacity"/>; an empty buffer takes any batch.</summary>
    public bool Fits(int length) => IsEmpty || (long)Length + length + Slack <= MaxCapacity;

    /// <summary>Copies one session batch in; a run of the same session's batches stays one segment.</summary>
    public void Append(OutputBatch batch)
    {
        var bytes = batch.Bytes;
        var needed = Length + bytes.Length + Slack;
        if (needed > _bytes.Length)
        {
            var doubled = (int)Math.Min((long)_bytes.Length * 2, MaxCapacity);
            System.Array.Resize(ref _bytes, Math.Max(doubled, needed));
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

    /// <summary>Empties the buffer; an array grown past <see cref="MaxCapacity"/> for one large batch is given back.</summary>
    public void Clear()
    {
        _segments.Clear();
        Length = 0;
        Routes = 0;
        if (_bytes.Length > MaxCapacity)
        {
            _bytes = new byte[Math.Min(InitialBytes, MaxCapacity)];
        }
    }
}
