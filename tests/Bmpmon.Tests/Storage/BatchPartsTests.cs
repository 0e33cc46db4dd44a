using Bmpmon.Tests.Postgres;
using Bmpmond.Storage;
using Npgsql;
using static Bmpmon.Tests.Decoding.BmpBuilder;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>
/// The daemon's three-connection commit (PostgresBatchCommit.Parts.cs): whichever part fails, and
/// when only the database knows what committed, the retry writes each part exactly once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BatchPartsTests(SharedPostgres postgres)
{
    private static readonly byte[] Attributes = [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)];
    private static readonly byte[][] Capabilities = [MultiprotocolCapability(1, 1), FourOctetAsCapability(65001)];

    /// <summary>A Peer Up and three routes: one peer event, three route_updates rows, three routes.</summary>
    private static readonly byte[] Burst =
    [
        .. PeerUp(Open(23456, Capabilities), Open(23456, Capabilities)),
        .. RouteMonitoring(Update([], Attributes, [16, 10, 1, 16, 10, 2])),
        .. RouteMonitoring(Update([], Attributes, [16, 10, 3])),
    ];

    [Fact]
    public void The_state_half_failing_after_the_history_half_committed_is_redone_alone()
    {
        using var writer = new Writer(postgres.CreateDatabase());
        writer.FailOnce("peer_events");
        using var session = new TestSession("192.0.2.70:179");
        var bytes = session.Next(Burst);

        var failure = Assert.Throws<PostgresException>(() => writer.Commit(session.State, bytes));
        Assert.Contains("injected", failure.MessageText, StringComparison.Ordinal);
        Assert.Equal(3, writer.Scalar("SELECT count(*) FROM bmpmon.route_updates"));
        Assert.Equal(0, writer.Scalar("SELECT count(*) FROM bmpmon.routes"));

        Assert.Equal(3, writer.Commit(session.State, bytes));
        writer.AssertOnce();
    }

    [Fact]
    public void The_history_half_failing_rolls_the_state_half_back_and_both_are_redone()
    {
        using var writer = new Writer(postgres.CreateDatabase());
        writer.FailOnce("route_updates");
        using var session = new TestSession("192.0.2.71:179");
        var bytes = session.Next(Burst);

        Assert.Throws<PostgresException>(() => writer.Commit(session.State, bytes));
        Assert.Equal(0, writer.Scalar("SELECT count(*) FROM bmpmon.routes"));
        Assert.Equal(0, writer.Scalar("SELECT count(*) FROM bmpmon.peer_events"));

        Assert.Equal(3, writer.Commit(session.State, bytes));
        writer.AssertOnce();
    }

    [Fact]
    public void The_attribute_sets_failing_hold_the_history_and_the_state_back_and_all_are_redone()
    {
        using var writer = new Writer(postgres.CreateDatabase());
        writer.FailOnce("path_attributes");
        using var session = new TestSession("192.0.2.75:179");
        var bytes = session.Next(Burst);

        // The history commits only after the attribute sets: none of its rows may point at a missing set.
        var failure = Assert.Throws<PostgresException>(() => writer.Commit(session.State, bytes));
        Assert.Contains("injected", failure.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, writer.Scalar("SELECT count(*) FROM bmpmon.route_updates"));
        Assert.Equal(0, writer.Scalar("SELECT count(*) FROM bmpmon.routes"));
        Assert.Equal(0, writer.Scalar("SELECT count(*) FROM bmpmon.path_attributes"));

        Assert.Equal(3, writer.Commit(session.State, bytes));
        writer.AssertOnce();
    }

    [Fact]
    public void Attribute_sets_committed_before_the_history_failed_are_not_written_twice()
    {
        using var writer = new Writer(postgres.CreateDatabase());
        writer.FailOnce("route_updates");
        using var session = new TestSession("192.0.2.76:179");
        var bytes = session.Next(Burst);

        Assert.Throws<PostgresException>(() => writer.Commit(session.State, bytes));
        Assert.Equal(0, writer.Scalar("SELECT count(*) FROM bmpmon.route_updates"));

        // Whether the set committed before the failure or not, it is there once after the retry; and
        // a writer that forgot which sets are stored (a restart) inserts it again without a duplicate.
        Assert.Equal(3, writer.Commit(session.State, bytes));
        writer.AssertOnce();
        writer.Committer.NextBatch();
        using var again = new Writer(writer.ConnectionString, migrate: false);
        using var other = new TestSession("192.0.2.77:179");
        var otherBytes = other.Next(Burst);
        Assert.Equal(3, again.Commit(other.State, otherBytes));
        Assert.Equal(1, writer.Scalar("SELECT count(*) FROM bmpmon.path_attributes"));
        Assert.Equal(6, writer.Scalar("SELECT count(*) FROM bmpmon.route_updates"));

        // The restarted writer's COPY straight into path_attributes met the stored set: that batch went
        // through the staged insert, and so do the next ones until a staged batch finds all its sets new.
        Assert.Equal(1, again.Committer.DirectAttributeConflicts);
        Assert.False(again.Committer.AttributesDirect);
    }

    [Fact]
    public void New_attribute_sets_go_straight_in_again_once_a_staged_batch_finds_none_stored()
    {
        using var writer = new Writer(postgres.CreateDatabase());
        using var session = new TestSession("192.0.2.78:179");
        Assert.True(writer.Committer.AttributesDirect);

        // The set is new: COPYed straight in.
        var burst = session.Next(Burst);
        Assert.Equal(3, writer.Commit(session.State, burst));
        Assert.True(writer.Committer.AttributesDirect);
        Assert.Equal(0, writer.Committer.DirectAttributeConflicts);

        // A set another writer (a second collector) stored first: the direct COPY fails, the batch is staged.
        writer.Committer.NextBatch();
        using var restarted = new Writer(writer.ConnectionString, migrate: false);
        byte[] other = [.. Origin(), .. AsPath4(65001, 65003), .. NextHop(192, 0, 2, 1)];
        var stored = session.Next(RouteMonitoring(Update([], other, [16, 10, 4])));
        Assert.Equal(1, restarted.Commit(session.State, stored));
        restarted.Committer.NextBatch();
        Assert.Equal(1, writer.Commit(session.State, stored));
        Assert.Equal(1, writer.Committer.DirectAttributeConflicts);
        Assert.False(writer.Committer.AttributesDirect);

        // A staged batch whose sets are all new: straight in again from the next one.
        writer.Committer.NextBatch();
        byte[] third = [.. Origin(), .. AsPath4(65001, 65004), .. NextHop(192, 0, 2, 1)];
        var fresh = session.Next(RouteMonitoring(Update([], third, [16, 10, 5])));
        Assert.Equal(1, writer.Commit(session.State, fresh));
        Assert.True(writer.Committer.AttributesDirect);
        Assert.Equal(3, writer.Scalar("SELECT count(*) FROM bmpmon.path_attributes"));
        Assert.Equal(0, writer.Scalar("SELECT count(*) FROM bmpmon.route_updates u WHERE NOT EXISTS (SELECT 1 FROM bmpmon.path_attributes a WHERE a.attrs_id = u.attrs_id)"));
    }

    [Fact]
    public void One_new_attribute_set_from_two_routers_in_one_batch_is_copied_once()
    {
        using var writer = new Writer(postgres.CreateDatabase());
        using var first = new TestSession("192.0.2.79:179");
        using var second = new TestSession("192.0.2.80:179");
        var a = first.Next(Burst);
        var b = second.Next(Burst);
        byte[] both = [.. a, .. b];

        writer.Committer.Clear();
        writer.Committer.AddSegment(first.State, 0, a.Length);
        writer.Committer.AddSegment(second.State, a.Length, b.Length);
        Assert.Equal(6, writer.CommitSegments(both));
        Assert.True(writer.Committer.AttributesDirect);
        Assert.Equal(0, writer.Committer.DirectAttributeConflicts);
        Assert.Equal(1, writer.Scalar("SELECT count(*) FROM bmpmon.path_attributes"));
        Assert.Equal(6, writer.Scalar("SELECT count(*) FROM bmpmon.route_updates"));
    }

    [Fact]
    public void A_retry_that_only_the_database_knows_committed_writes_nothing_twice()
    {
        using var writer = new Writer(postgres.CreateDatabase());
        using var session = new TestSession("192.0.2.72:179");
        var bytes = session.Next(Burst);
        Assert.Equal(3, writer.Commit(session.State, bytes));

        // Both halves committed, the acknowledgements lost: the retry reads writer_progress and skips both.
        writer.Committer.ForgetProgress();
        Assert.Equal(3, writer.Commit(session.State, bytes));
        writer.AssertOnce();
        Assert.Equal(
            [["history", 1L], ["state", 1L]],
            Query(writer.ConnectionString, "SELECT half, batch FROM bmpmon.writer_progress ORDER BY half"));

        // The next batch is written normally.
        writer.Committer.NextBatch();
        Assert.Equal(1, writer.Commit(session.State, session.Next(RouteMonitoring(Update([], Attributes, [16, 10, 4])))));
        Assert.Equal(4, writer.Scalar("SELECT count(*) FROM bmpmon.route_updates"));
        Assert.Equal(4, writer.Scalar("SELECT count(*) FROM bmpmon.routes"));
    }

    [Fact]
    public void A_history_half_committed_with_its_acknowledgement_lost_is_not_redone_and_its_error_not_rethrown()
    {
        using var writer = new Writer(postgres.CreateDatabase());
        using var session = new TestSession("192.0.2.73:179");
        var bytes = session.Next(Burst);
        var lost = true;
        writer.Committer.AfterHistoryCommit = () =>
        {
            if (lost)
            {
                lost = false;
                throw new System.IO.IOException("connection reset after COMMIT");
            }
        };

        Assert.Throws<System.IO.IOException>(() => writer.Commit(session.State, bytes));
        Assert.Equal(3, writer.Scalar("SELECT count(*) FROM bmpmon.route_updates"));
        Assert.Equal(0, writer.Scalar("SELECT count(*) FROM bmpmon.routes"));

        // The retry reads writer_progress: the history half is done, the state half alone is written.
        Assert.Equal(3, writer.Commit(session.State, bytes));
        writer.AssertOnce();
    }

    [Fact]
    public void A_half_whose_batch_is_recorded_already_is_rolled_back_not_committed_twice()
    {
        using var writer = new Writer(postgres.CreateDatabase());
        using var session = new TestSession("192.0.2.74:179");
        var bytes = session.Next(Burst);
        Assert.Equal(3, writer.Commit(session.State, bytes));

        // The writer believes nothing committed (an attempt's COMMIT finished after it read the progress): writer_progress stops both halves.
        writer.Committer.ForgetProgress(readAgain: false);
        Assert.Throws<InvalidOperationException>(() => writer.Commit(session.State, bytes));
        writer.AssertOnce();

        Assert.Equal(3, writer.Commit(session.State, bytes));
        writer.AssertOnce();
    }

    [Fact]
    public void A_history_error_is_reported_to_one_wait_only()
    {
        using var thread = new CommitThread("test-history");
        thread.Start(() => throw new System.IO.IOException("lost"));
        Assert.Throws<System.IO.IOException>(thread.Wait);
        thread.Wait();
        thread.Start(() => { });
        thread.Wait();
    }

    /// <summary>A migrated database, the three connections and the two commit threads of a daemon's writer.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly NpgsqlConnection _state;
        private readonly NpgsqlConnection _history;
        private readonly NpgsqlConnection _attributes;
        private readonly CommitThread _historyThread = new("test-history");
        private readonly CommitThread _attributesThread = new("test-attrs");

        public Writer(string connectionString, bool migrate = true)
        {
            ConnectionString = connectionString;
            _dataSource = PostgresDatabase.Create(connectionString);
            if (migrate)
            {
                SchemaMigrator.Apply(_dataSource);
                Execute("SELECT bmpmon.ensure_route_update_partitions(current_date, 1)");
            }

            _state = Open();
            _history = Open();
            _attributes = Open();
        }

        public string ConnectionString { get; }

        public PostgresBatchCommit Committer { get; } = new("bmpmon", freshPeers: true);

        public long Commit(PostgresRouterState state, byte[] bytes)
        {
            Committer.Clear();
            Committer.AddSegment(state, 0, bytes.Length);
            return CommitSegments(bytes);
        }

        /// <summary>Commits the segments added to <see cref="Committer"/>.</summary>
        public long CommitSegments(byte[] bytes) =>
            Committer.Commit(_state, new CommitLane(_history, _historyThread), new CommitLane(_attributes, _attributesThread), bytes, bytes.Length);

        /// <summary>The first row inserted into <paramref name="table"/> fails (a sequence, so the rollback does not undo the count).</summary>
        public void FailOnce(string table) => Execute($"""
            CREATE SEQUENCE bmpmon.fail_seq;
            CREATE FUNCTION bmpmon.fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('bmpmon.fail_seq') = 1 THEN RAISE EXCEPTION 'injected failure'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_once BEFORE INSERT ON bmpmon.{table} FOR EACH ROW EXECUTE FUNCTION bmpmon.fail_once();
            """);

        /// <summary>The burst is stored exactly once: rows, event, generation, and routes agree with the history.</summary>
        public void AssertOnce()
        {
            Assert.Equal(3, Scalar("SELECT count(*) FROM bmpmon.route_updates"));
            Assert.Equal(3, Scalar("SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn AND churn = 0"));
            Assert.Equal(1, Scalar("SELECT count(*) FROM bmpmon.peer_events"));
            Assert.Equal(1, Scalar("SELECT sync_gen FROM bmpmon.bgp_peers"));
            Assert.Equal(1, Scalar("SELECT count(*) FROM bmpmon.path_attributes"));
            Assert.Equal(Rows(ConnectionString, RoutesFromReplay), Rows(ConnectionString, RoutesNow));
        }

        public long Scalar(string sql) => StorageTestSupport.Scalar(ConnectionString, sql);

        public void Dispose()
        {
            _historyThread.Dispose();
            _attributesThread.Dispose();
            _state.Dispose();
            _history.Dispose();
            _attributes.Dispose();
            _dataSource.Dispose();
        }

        private NpgsqlConnection Open()
        {
            var connection = _dataSource.OpenConnection();
            using var staging = new NpgsqlCommand(PostgresSql.For(PostgresSql.CreateStaging, "bmpmon"), connection);
            staging.ExecuteNonQuery();
            return connection;
        }

        public void Execute(string sql)
        {
            using var connection = _dataSource.OpenConnection();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
    }
}
