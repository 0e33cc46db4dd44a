namespace Bmpmon.Tests.Postgres;

/// <summary>
/// One <see cref="TestPostgres"/> shared by every test class in the "postgres" collection, started on
/// first use; each test takes its own database with <see cref="CreateDatabase"/>. Use
/// <c>[Collection(PostgresCollection.Name)]</c> on the class and take a <see cref="SharedPostgres"/> in its constructor.
/// Tests that restart or stop the server start their own <see cref="TestPostgres"/> instead.
/// </summary>
public sealed class SharedPostgres : IDisposable
{
    private readonly Lazy<TestPostgres> _server = new(() => TestPostgres.Start(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared server (started on first access).</summary>
    public TestPostgres Server => _server.Value;

    /// <summary>A fresh database on the shared server; returns its connection string.</summary>
    public string CreateDatabase(string? name = null) => Server.CreateDatabase(name);

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}

/// <summary>The xunit collection whose classes share one PostgreSQL server (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<SharedPostgres>
{
    public const string Name = "postgres";
}
