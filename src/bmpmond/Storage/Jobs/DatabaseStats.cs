using Npgsql;

namespace Bmpmond.Storage.Jobs;

/// <summary>Counts for the stats line and <c>bmpmond status</c>.</summary>
internal readonly record struct DatabaseStats(long Routers, long ActiveRouters, long Peers, long PeersUp, long LiveRoutes, long WithdrawnRoutes, double? IngestLagSeconds)
{
    public static DatabaseStats Read(NpgsqlConnection connection, string schema)
    {
        using var command = new NpgsqlCommand(JobSql.For(JobSql.Stats, schema), connection) { CommandTimeout = 120 };
        using var reader = command.ExecuteReader();
        reader.Read();
        return new(
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            reader.GetInt64(3),
            reader.GetInt64(4),
            reader.GetInt64(5),
            reader.IsDBNull(6) ? null : reader.GetDouble(6));
    }
}
