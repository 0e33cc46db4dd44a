using Bmpmon.Core.Storage;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// <c>bmpmond import</c>'s side of the database: one file, one transaction. The file's session
/// batches are committed in chunks of <see cref="ChunkRoutes"/> routes (so memory stays bounded
/// for big files) inside a transaction begun by <see cref="BeginFile"/>; the ledger row goes into
/// the same transaction in <see cref="CompleteFile"/>. A file that fails midway rolls back
/// entirely and can be imported again. Synchronous, on the caller's thread.
/// </summary>
internal sealed class PostgresImportWriter : IDisposable
{
    /// <summary>Routes per chunk inside a file's transaction: the daemon's default batch (pg-ingest.md).</summary>
    public const int ChunkRoutes = 10_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresBatchCommit _commit;
    private readonly PostgresWriterConnection _connection;
    private readonly AttributeIdKey _attributeIdKey;
    private readonly RecordBuffer _buffer = new();
    private NpgsqlTransaction? _transaction;

    private PostgresImportWriter(NpgsqlDataSource dataSource, string schema, ILogger logger)
    {
        _dataSource = dataSource;
        _attributeIdKey = PostgresDatabase.ReadAttributeIdKey(dataSource, schema);
        _commit = new PostgresBatchCommit(schema, freshPeers: false);
        _connection = new PostgresWriterConnection(dataSource, schema, logger);
    }

    /// <summary>Migrates the schema and ensures today's partitions; throws <see cref="IOException"/> when the database cannot be used.</summary>
    public static PostgresImportWriter Open(string databaseUrl, ILogger logger, string schema = SchemaMigrations.DefaultSchema)
    {
        var dataSource = PostgresDatabase.OpenMigrated(databaseUrl, schema, logger);
        try
        {
            var writer = new PostgresImportWriter(dataSource, schema, logger);
            writer._connection.EnsurePartitions(force: true);
            return writer;
        }
        catch (Exception e) when (PostgresWriterConnection.IsDatabaseFailure(e))
        {
            dataSource.Dispose();
            throw new IOException($"PostgreSQL: {e.Message}", e);
        }
    }

    /// <summary>A connection for reads outside the file transactions (the ledger lookup).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>A router session's encoder, as in the daemon.</summary>
    public ISessionOutput OpenSession(string router) => new PostgresSessionOutput(router, _attributeIdKey);

    /// <summary>Begins the file's transaction.</summary>
    public void BeginFile()
    {
        var connection = _connection.Open(_commit);
        _transaction = connection.BeginTransaction();
    }

    /// <summary>Adds one session batch; a full chunk is written (not committed) at once.</summary>
    public void Write(OutputBatch batch)
    {
        _buffer.Append(batch);
        if (_buffer.Routes >= ChunkRoutes)
        {
            WriteChunk();
        }
    }

    /// <summary>Writes what is left, runs <paramref name="ledger"/> in the same transaction and commits the file.</summary>
    public void CompleteFile(Action<NpgsqlConnection> ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        WriteChunk();
        ledger(FileConnection);
        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
        _commit.TransactionCommitted();
    }

    /// <summary>The file failed: its transaction rolls back (a broken connection is dropped), nothing of it stays.</summary>
    public void AbortFile()
    {
        _buffer.Clear();
        _commit.Clear();
        _commit.TransactionRolledBack();
        try
        {
            _transaction?.Rollback();
        }
        catch (Exception e) when (PostgresWriterConnection.IsDatabaseFailure(e))
        {
            _connection.Reset();
        }

        _transaction?.Dispose();
        _transaction = null;
    }

    /// <summary>The file transaction's connection: never a fresh one, which would write outside the transaction.</summary>
    private NpgsqlConnection FileConnection => _transaction?.Connection ?? throw new InvalidOperationException("no file transaction (BeginFile)");

    public void Dispose()
    {
        AbortFile();
        _connection.Dispose();
        _dataSource.Dispose();
    }

    private void WriteChunk()
    {
        if (_buffer.IsEmpty)
        {
            return;
        }

        _buffer.LoadInto(_commit);
        _commit.CommitWithin(FileConnection, _buffer.Bytes, _buffer.Array);
        _commit.Clear();
        _buffer.Clear();
    }
}
