using System.Globalization;
using Bmpmon.Core.Storage;
using Bmpmond.Storage;
using Bmpmond.Storage.Jobs;
using Npgsql;

namespace Bmpmond.Commands;

/// <summary>
/// <c>bmpmond status [--env-file PATH]</c>: what the database at <c>BMPMOND_DATABASE_URL</c> holds
/// (routers, peers up and down, routes per family, ingest lag) and each periodic job's last run.
/// Exit 0 when every job ran within twice its interval and its last run succeeded; 1 when a job is
/// overdue, has never run, last failed, or the database cannot be read; 2 on bad usage or settings.
/// </summary>
internal static class StatusCommand
{
    public const string Usage = "usage: bmpmond status [--env-file PATH]";

    /// <summary>A job is overdue when its last run is older than this many intervals.</summary>
    public const double OverdueIntervals = 2;

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        string? envFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--env-file" && i + 1 < args.Length)
            {
                envFile = args[++i];
            }
            else
            {
                stderr.WriteLine($"bmpmond: unexpected argument '{args[i]}'");
                stderr.WriteLine(Usage);
                return 2;
            }
        }

        if (CommandSettings.Database("status", envFile, stderr) is not { } database)
        {
            return 2;
        }

        using var writer = new StreamWriter(stdout, leaveOpen: true) { AutoFlush = true };
        try
        {
            using var dataSource = PostgresDatabase.Create(database.ConnectionString, "bmpmond status");
            using var connection = dataSource.OpenConnection();
            return Report(connection, database.Schema, JobSchedule.Default, writer);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
        {
            stderr.WriteLine($"bmpmond: status failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Writes the report; returns 0, or 1 when a job is overdue, never ran or last failed. Jobs whose
    /// row records no interval are judged by <paramref name="defaults"/>.
    /// </summary>
    public static int Report(NpgsqlConnection connection, string schema, JobSchedule defaults, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(output);
        var stats = DatabaseStats.Read(connection, schema);
        output.WriteLine($"routers: {N(stats.Routers)} ({N(stats.ActiveRouters)} active)");
        foreach (var row in Rows(connection, JobSql.For(StatusSql.Routers, schema)))
        {
            output.WriteLine($"  {row[0]}  {row[1] ?? "-"}  {((bool)row[2]! ? "active" : "inactive")}  last seen {Time(row[3])}");
        }

        output.WriteLine($"peers: {N(stats.Peers)} ({N(stats.PeersUp)} up, {N(stats.Peers - stats.PeersUp)} down)");
        foreach (var row in Rows(connection, JobSql.For(StatusSql.Peers, schema)))
        {
            output.WriteLine($"  {row[0]} peer {row[1] ?? "-"} AS{row[2] ?? "-"}  {((bool)row[3]! ? "up" : "down")}  {N((long)row[4]!)} live routes  last seen {Time(row[5])}");
        }

        output.WriteLine($"routes: {N(stats.LiveRoutes)} live, {N(stats.WithdrawnRoutes)} withdrawn");
        foreach (var row in Rows(connection, JobSql.For(StatusSql.Families, schema)))
        {
            output.WriteLine($"  afi {row[0]} safi {row[1]}: {N((long)row[2]!)} live, {N((long)row[3]!)} withdrawn");
        }

        output.WriteLine(stats.IngestLagSeconds is { } lag
            ? $"ingest lag: {lag.ToString("0.0", CultureInfo.InvariantCulture)} s (now - newest route_updates arrival)"
            : "ingest lag: no route_updates in the last day");

        var recorded = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var row in Rows(connection, JobSql.For(StatusSql.Jobs, schema)))
        {
            recorded[(string)row[0]!] = row;
        }

        var healthy = true;
        output.WriteLine("jobs:");
        foreach (var job in StorageJobs.All(schema, defaults, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            if (!recorded.TryGetValue(job.Name, out var row) || row[1] is null)
            {
                output.WriteLine($"  {job.Name}: NEVER RUN");
                healthy = false;
                continue;
            }

            var interval = row[5] is double seconds ? seconds : job.Interval.TotalSeconds;
            var age = (double)row[6]!;
            var ok = row[4] is true;
            var state = age > OverdueIntervals * interval ? "OVERDUE" : ok ? "ok" : "FAILED";
            healthy &= state == "ok";
            output.WriteLine(
                $"  {job.Name}: {state}  last run {Time(row[1])} ({age.ToString("0", CultureInfo.InvariantCulture)} s ago, every {interval.ToString("0", CultureInfo.InvariantCulture)} s)  took {((double?)row[2] ?? 0).ToString("0", CultureInfo.InvariantCulture)} ms  {row[3]}");
        }

        return healthy ? 0 : 1;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(object? value) => value is DateTime t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    private static List<object?[]> Rows(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
