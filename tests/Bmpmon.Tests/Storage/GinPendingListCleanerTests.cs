using System.Collections.Concurrent;
using Bmpmon.Tests.Postgres;
using Bmpmond.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>The as_path index's pending list merged off the writer's commit, against a real PostgreSQL 15.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GinPendingListCleanerTests(SharedPostgres postgres)
{
    private const int Sets = 3_000;

    [Fact]
    public void Merges_once_enough_sets_are_stored_and_the_index_still_finds_them()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.OpenMigrated(cs, "bmpmon", NullLogger.Instance);
        InsertSets(cs);
        Assert.True(PendingPages(cs) > 0, "fastupdate: the inserts filled the pending list");

        using var cleaner = new GinPendingListCleaner(dataSource, "bmpmon", NullLogger.Instance, setsPerMerge: Sets, maxAge: TimeSpan.FromHours(1));
        cleaner.SetsStored(Sets - 1);
        Thread.Sleep(500);
        Assert.Equal(0, cleaner.Merges);
        Assert.True(PendingPages(cs) > 0, "fewer sets than a merge's worth stay in the list");

        var pending = PendingPages(cs);
        cleaner.SetsStored(1);
        WaitFor(() => cleaner.Merges == 1);
        Assert.Equal(0, PendingPages(cs));
        Assert.Equal(pending, cleaner.PagesMerged);
        var indexOnly = new NpgsqlConnectionStringBuilder(cs) { Options = "-c enable_seqscan=off" }.ConnectionString;
        const string Through65007 = "SELECT count(*) FROM bmpmon.path_attributes WHERE as_path @> ARRAY[65007]::bigint[]";
        Assert.Contains(Rows(indexOnly, "EXPLAIN " + Through65007), line => line.Contains("Bitmap Index Scan on path_attributes_as_path", StringComparison.Ordinal));
        Assert.Equal(Sets / 7, Scalar(indexOnly, Through65007));
    }

    [Fact]
    public void Merges_a_trickle_once_its_first_sets_are_max_age_old()
    {
        var cs = postgres.CreateDatabase();
        using var dataSource = PostgresDatabase.OpenMigrated(cs, "bmpmon", NullLogger.Instance);
        InsertSets(cs);

        using var cleaner = new GinPendingListCleaner(dataSource, "bmpmon", NullLogger.Instance, setsPerMerge: 1_000_000, maxAge: TimeSpan.FromMilliseconds(300));
        cleaner.SetsStored(1);
        WaitFor(() => cleaner.Merges == 1);
        Assert.Equal(0, PendingPages(cs));

        // Nothing stored since: no merge is due.
        Thread.Sleep(800);
        Assert.Equal(1, cleaner.Merges);
    }

    [Fact]
    public void A_role_that_does_not_own_the_index_logs_a_warning_once_and_the_inserts_go_on()
    {
        var cs = postgres.CreateDatabase();
        using (PostgresDatabase.OpenMigrated(cs, "bmpmon", NullLogger.Instance))
        {
        }

        var database = new NpgsqlConnectionStringBuilder(cs).Database;
        Execute(cs, $"""
            DO $$ BEGIN CREATE ROLE bmpmon_writer LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            GRANT CONNECT ON DATABASE "{database}" TO bmpmon_writer;
            GRANT USAGE ON SCHEMA bmpmon TO bmpmon_writer;
            GRANT SELECT, INSERT ON bmpmon.path_attributes TO bmpmon_writer;
            """);
        var writer = new NpgsqlConnectionStringBuilder(cs) { Username = "bmpmon_writer", Password = null }.ConnectionString;
        using var dataSource = NpgsqlDataSource.Create(writer);
        var log = new EventLog();
        using var cleaner = new GinPendingListCleaner(dataSource, "bmpmon", log, setsPerMerge: 1, maxAge: TimeSpan.FromHours(1));
        cleaner.SetsStored(1);
        WaitFor(() => !cleaner.Enabled);
        cleaner.SetsStored(1);
        Thread.Sleep(300);
        Assert.Equal(["gin_merge_refused"], log.Events);

        Execute(writer, "INSERT INTO bmpmon.path_attributes (attrs_id, as_path) VALUES (1, ARRAY[65001]::bigint[])");
        Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM bmpmon.path_attributes"));
    }

    /// <summary><see cref="Sets"/> sets whose paths are 65000, 65001 + i % 7 and i, as the writer would have inserted them.</summary>
    private static void InsertSets(string cs) =>
        Execute(cs, $"INSERT INTO bmpmon.path_attributes (attrs_id, as_path) SELECT i, ARRAY[65000, 65001 + i % 7, i]::bigint[] FROM generate_series(1, {Sets}) i");

    private static long PendingPages(string cs)
    {
        Execute(cs, "CREATE EXTENSION IF NOT EXISTS pageinspect");
        return Scalar(cs, "SELECT n_pending_pages FROM gin_metapage_info(get_raw_page('bmpmon.path_attributes_as_path', 0))");
    }

    private static void Execute(string cs, string sql)
    {
        using var connection = new NpgsqlConnection(cs);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static void WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out");
            Thread.Sleep(20);
        }
    }

    /// <summary>The names of the events logged.</summary>
    private sealed class EventLog : ILogger
    {
        private readonly ConcurrentQueue<string> _events = new();

        public IReadOnlyList<string> Events => [.. _events];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _events.Enqueue(eventId.Name ?? eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
