using System.Text.RegularExpressions;
using Bmpmon.Core.Storage;
using Bmpmond.Storage.Jobs;

namespace Bmpmon.Tests.Storage;

/// <summary>Schema step 5's decision and rendered SQL, without a server (TimescaleDB is not installable here).</summary>
public sealed partial class TimescaleMigrationTests
{
    [Theory]
    // available, installed, preloaded, mayCreate, partitioned, empty
    [InlineData(false, false, false, false, true, true, TimescaleOutcome.NotAvailable)]
    [InlineData(false, false, true, true, true, true, TimescaleOutcome.NotAvailable)]
    [InlineData(true, false, false, true, true, true, TimescaleOutcome.NotPreloaded)]
    [InlineData(true, true, false, true, true, true, TimescaleOutcome.NotPreloaded)]
    [InlineData(true, false, true, false, true, true, TimescaleOutcome.NotPermitted)]
    [InlineData(true, false, true, true, true, true, TimescaleOutcome.Convert)]
    [InlineData(true, false, true, true, true, false, TimescaleOutcome.TablesNotEmpty)]
    [InlineData(true, false, true, true, false, true, TimescaleOutcome.NotNativelyPartitioned)]
    // Already created by an administrator: the role need not be allowed to create it.
    [InlineData(true, true, true, false, true, true, TimescaleOutcome.Convert)]
    [InlineData(true, true, true, false, true, false, TimescaleOutcome.TablesNotEmpty)]
    [InlineData(true, true, true, true, false, false, TimescaleOutcome.NotNativelyPartitioned)]
    public void The_decision_follows_availability_permission_and_table_state(
        bool available, bool installed, bool preloaded, bool mayCreate, bool partitioned, bool empty, TimescaleOutcome expected)
    {
        Assert.Equal(expected, new TimescaleProbe(available, installed, preloaded, mayCreate, partitioned, empty).Decide());
    }

    [Fact]
    public void Only_the_convert_outcome_runs_any_sql()
    {
        foreach (var outcome in Enum.GetValues<TimescaleOutcome>())
        {
            var sql = TimescaleMigration.Render(outcome, "bmpmon");
            Assert.Equal(outcome == TimescaleOutcome.Convert, sql.Length > 0);
            var applied = TimescaleMigration.Applied(outcome, "bmpmon");
            Assert.Equal(TimescaleMigration.Version, applied.Version);
            Assert.StartsWith("TimescaleDB: ", applied.Description, StringComparison.Ordinal);
            Assert.Equal(sql, applied.Sql);
        }

        Assert.Contains("native daily partitions", TimescaleMigration.Explain(TimescaleOutcome.NotAvailable), StringComparison.Ordinal);
        Assert.Contains("already holds rows", TimescaleMigration.Explain(TimescaleOutcome.TablesNotEmpty), StringComparison.Ordinal);
    }

    [Fact]
    public void Step_5_is_listed_after_the_earlier_steps_with_no_sql_of_its_own()
    {
        var step = Assert.Single(SchemaMigrations.All, m => m.Version == TimescaleMigration.Version);
        Assert.Equal(string.Empty, step.Sql);
        Assert.Equal(SchemaMigrations.All.Select(m => m.Version).Order(), SchemaMigrations.All.Select(m => m.Version));
    }

    [Fact]
    public void The_conversion_calls_the_documented_timescaledb_2_api_with_the_right_arguments()
    {
        var sql = TimescaleMigration.Render(TimescaleOutcome.Convert, "bmp_alt");
        Assert.DoesNotContain("{schema}", sql, StringComparison.Ordinal);
        Assert.StartsWith("CREATE EXTENSION IF NOT EXISTS timescaledb;", sql, StringComparison.Ordinal);
        Assert.Contains("SELECT create_hypertable('bmp_alt.route_updates', 'time', chunk_time_interval => INTERVAL '1 day', create_default_indexes => false);", sql, StringComparison.Ordinal);
        Assert.Contains("SELECT create_hypertable('bmp_alt.peer_events', 'time', chunk_time_interval => INTERVAL '1 day', create_default_indexes => false);", sql, StringComparison.Ordinal);
        Assert.Contains(
            "ALTER TABLE bmp_alt.route_updates SET (timescaledb.compress, timescaledb.compress_segmentby = 'peer_id', timescaledb.compress_orderby = 'time');",
            sql,
            StringComparison.Ordinal);
        Assert.Contains("SELECT add_compression_policy('bmp_alt.route_updates', compress_after => INTERVAL '7 days', if_not_exists => true);", sql, StringComparison.Ordinal);
        Assert.Contains("SELECT add_retention_policy('bmp_alt.route_updates', drop_after => INTERVAL '5 years', if_not_exists => true);", sql, StringComparison.Ordinal);
        Assert.Contains("SELECT add_retention_policy('bmp_alt.peer_events', drop_after => INTERVAL '6 months', if_not_exists => true);", sql, StringComparison.Ordinal);

        // The table is recreated before create_hypertable (which refuses a partitioned table), and
        // compression is switched on before its policy (which requires it).
        Assert.True(sql.IndexOf("CREATE TABLE bmp_alt.route_updates (LIKE", StringComparison.Ordinal) < sql.IndexOf("create_hypertable('bmp_alt.route_updates'", StringComparison.Ordinal));
        Assert.True(sql.IndexOf("timescaledb.compress,", StringComparison.Ordinal) < sql.IndexOf("add_compression_policy", StringComparison.Ordinal));

        // Every schema-qualified name is the configured schema's, and a plain identifier.
        foreach (Match name in QualifiedName().Matches(sql))
        {
            Assert.Equal("bmp_alt", name.Groups[1].Value);
            Assert.True(SchemaMigrations.IsValidSchemaName(name.Groups[2].Value), name.Value);
        }

        Assert.DoesNotContain("bmpmon", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Retention_matches_the_retention_job_defaults()
    {
        // The policies and the plain path's job keep the same history: 5 years and 6 months.
        Assert.Equal(TimeSpan.FromDays(5 * 365), JobSchedule.Default.RouteUpdatesRetention);
        Assert.Equal("5 years", TimescaleMigration.RouteUpdatesRetention);
        Assert.Equal(TimeSpan.FromDays(183), JobSchedule.Default.PeerEventsRetention);
        Assert.Equal("6 months", TimescaleMigration.PeerEventsRetention);
    }

    [Theory]
    [InlineData("Bmpmon")]
    [InlineData("bmp-mon")]
    [InlineData("bmpmon; DROP TABLE x")]
    [InlineData("")]
    public void A_bad_schema_name_is_refused_before_any_sql_is_rendered(string schema)
    {
        Assert.Throws<ArgumentException>(() => TimescaleMigration.Render(TimescaleOutcome.Convert, schema));
        Assert.Throws<ArgumentException>(() => TimescaleMigration.HypertableStatements(schema));
    }

    [Theory]
    [InlineData(true, false, nameof(StorageLayout.NativePartitions))]
    [InlineData(true, true, nameof(StorageLayout.NativePartitions))]
    [InlineData(false, true, nameof(StorageLayout.Hypertables))]
    [InlineData(false, false, nameof(StorageLayout.Unpartitioned))]
    public void The_jobs_layout_comes_from_the_table_and_the_extension(bool partitioned, bool timescale, string expected)
    {
        Assert.Equal(expected, StorageLayouts.Of(partitioned, timescale).ToString());
    }

    [GeneratedRegex(@"\b([a-z_][a-z0-9_]*)\.(route_updates\w*|peer_events|ensure_route_update_partitions|drop_route_update_partitions)\b")]
    private static partial Regex QualifiedName();
}
