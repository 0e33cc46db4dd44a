using Bmpmon.Core.Storage;
using Bmpmon.Tests.Postgres;
using Bmpmond.Storage;

namespace Bmpmon.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class SchemaMigrationTests(SharedPostgres postgres)
{
    [Fact]
    public void Migrations_applied_twice_are_a_no_op()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        var first = SchemaMigrator.Apply(dataSource);
        Assert.Equal(SchemaMigrations.All.Select(m => m.Version), first.Select(m => m.Version));
        var tables = StorageTestSupport.Scalar(cs, "SELECT count(*) FROM pg_tables WHERE schemaname = 'bmpmon'");

        Assert.Empty(SchemaMigrator.Apply(dataSource));
        Assert.Equal(tables, StorageTestSupport.Scalar(cs, "SELECT count(*) FROM pg_tables WHERE schemaname = 'bmpmon'"));
        Assert.Equal(SchemaMigrations.All.Count, StorageTestSupport.Scalar(cs, "SELECT count(*) FROM bmpmon.schema_migrations"));
        foreach (var table in new[] { "bmp_routers", "bgp_peers", "peer_events", "path_attributes", "route_updates", "routes", "bmp_quarantine", "jobs" })
        {
            Assert.Equal(1, StorageTestSupport.Scalar(cs, $"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bmpmon' AND c.relname = '{table}'"));
        }
    }

    [Fact]
    public void Each_database_gets_its_own_attribute_id_key_once()
    {
        var first = postgres.CreateDatabase();
        var second = postgres.CreateDatabase();
        using var one = PostgresDatabase.Create(first);
        using var other = PostgresDatabase.Create(second);
        SchemaMigrator.Apply(one);
        SchemaMigrator.Apply(other);
        var key = PostgresDatabase.ReadAttributeIdKey(one, SchemaMigrations.DefaultSchema);

        // The key must survive migrations: another one would give every stored set a second id.
        StorageTestSupport.Query(first, "DELETE FROM bmpmon.schema_migrations WHERE version = 8");
        SchemaMigrator.Apply(one);
        Assert.Equal(key, PostgresDatabase.ReadAttributeIdKey(one, SchemaMigrations.DefaultSchema));
        Assert.Equal(1, StorageTestSupport.Scalar(first, "SELECT count(*) FROM bmpmon.attribute_id_key"));
        Assert.NotEqual(key, PostgresDatabase.ReadAttributeIdKey(other, SchemaMigrations.DefaultSchema));

        // A lost key is not made up again silently: the writer refuses to start, naming the table.
        StorageTestSupport.Query(second, "DELETE FROM bmpmon.attribute_id_key");
        var missing = Assert.Throws<IOException>(() => PostgresDatabase.ReadAttributeIdKey(other, SchemaMigrations.DefaultSchema));
        Assert.Contains("bmpmon.attribute_id_key", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_migrators_at_once_apply_each_step_once()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.Create(cs);
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => SchemaMigrator.Apply(dataSource))));
        Assert.Equal(SchemaMigrations.All.Count, results.Sum(r => r.Count));
    }

    [Fact]
    public void Database_url_forms_are_accepted_and_problems_never_quote_the_value()
    {
        Assert.True(DatabaseUrl.TryParse("postgres://u:p%40ss@db.example:5433/bmp?sslmode=disable", out var cs, out _));
        Assert.Contains("Host=db.example", cs, StringComparison.Ordinal);
        Assert.Contains("Port=5433", cs, StringComparison.Ordinal);
        Assert.Contains("Password=p@ss", cs, StringComparison.Ordinal);
        Assert.Contains("Database=bmp", cs, StringComparison.Ordinal);
        Assert.True(DatabaseUrl.TryParse("Host=127.0.0.1;Port=5432;Username=postgres", out _, out _));
        Assert.False(DatabaseUrl.TryParse("postgres://u:secret@h/db?weird=1", out _, out var problem));
        Assert.DoesNotContain("secret", problem, StringComparison.Ordinal);
    }
}

public sealed class PostgresOutputSettingTests
{
    [Fact]
    public void Postgres_output_requires_the_database_url_and_names_it()
    {
        var folder = Directory.CreateTempSubdirectory("bmpmond-cfg-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["BMPMOND_OUTPUT"] = "postgres" };
            Assert.False(Bmpmond.Configuration.OptionsLoader.TryLoad(env, null, folder, Path.Combine(folder, "none.env"), out _, out var error, out _));
            Assert.Equal("BMPMOND_DATABASE_URL: must be set when BMPMOND_OUTPUT=postgres (the default; BMPMOND_OUTPUT=null or jsonl:PATH runs without a database)", error);

            // postgres is the default: nothing set at all stops the same way.
            Assert.False(Bmpmond.Configuration.OptionsLoader.TryLoad(new Dictionary<string, string>(), null, folder, Path.Combine(folder, "none.env"), out _, out var defaultError, out _));
            Assert.Equal(error, defaultError);

            env["BMPMOND_DATABASE_URL"] = "postgres://bmpmond:s3cret@127.0.0.1:5432/bmp";
            Assert.True(Bmpmond.Configuration.OptionsLoader.TryLoad(env, null, folder, Path.Combine(folder, "none.env"), out var options, out error, out _), error);
            Assert.Equal(Bmpmond.Configuration.OutputKind.Postgres, options.Output.Kind);

            env["BMPMOND_OUTPUT"] = "postgres:s3cret";
            Assert.False(Bmpmond.Configuration.OptionsLoader.TryLoad(env, null, folder, Path.Combine(folder, "none.env"), out _, out error, out _));
            Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
