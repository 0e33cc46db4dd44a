namespace Bmpmond.Configuration;

/// <summary>Where the daemon writes decoded routes and events (<c>BMPMOND_OUTPUT</c>).</summary>
internal enum OutputKind
{
    /// <summary>One JSON object per line, as <c>bmpmond decode --routes</c> writes, to a file or stdout.</summary>
    Jsonl,

    /// <summary>Decode and count only (benchmarks).</summary>
    Null,

    /// <summary>PostgreSQL at <c>BMPMOND_DATABASE_URL</c> (the schema in Bmpmon.Core/Storage).</summary>
    Postgres,
}
