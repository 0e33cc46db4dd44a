namespace Bmpmond.Commands;

/// <summary>
/// Where a verb reads and writes: the Npgsql connection string and the schema
/// (<c>BMPMOND_DB_SCHEMA</c>, already checked). A plain class, not a record: a record's generated
/// ToString would print the connection string, which must never reach a log.
/// </summary>
internal sealed class DatabaseTarget(string connectionString, string schema)
{
    /// <summary>A secret: never logged.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>A lower-case identifier, safe to splice into SQL.</summary>
    public string Schema { get; } = schema;
}
