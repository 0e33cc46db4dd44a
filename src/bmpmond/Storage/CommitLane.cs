using Npgsql;

namespace Bmpmond.Storage;

/// <summary>A part of the daemon's commit that runs beside the state: its connection and the thread that drives it.</summary>
/// <param name="Connection">The part's own connection (its own PostgreSQL backend).</param>
/// <param name="Thread">The thread its transaction runs on.</param>
internal readonly record struct CommitLane(NpgsqlConnection Connection, CommitThread Thread);
