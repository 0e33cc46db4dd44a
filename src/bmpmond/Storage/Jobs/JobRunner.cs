using System.Diagnostics;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bmpmond.Storage.Jobs;

/// <summary>
/// Runs the periodic jobs on <see cref="Timer"/>s, never on the writer thread and never with its
/// connection: each run opens its own connection from a data source of its own, runs the job, and
/// records the run (time, duration, result or error text, interval) in <c>jobs</c>. A timer is
/// re-armed only when its run is over, so a slow run never overlaps the next one.
/// </summary>
internal sealed class JobRunner : IDisposable
{
    private const int MaxResultLength = 500;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly ILogger _logger;
    private readonly List<(PeriodicJob Job, Timer Timer)> _timers = [];
    private readonly object _lock = new();
    private bool _disposed;

    private JobRunner(NpgsqlDataSource dataSource, string schema, ILogger logger)
    {
        _dataSource = dataSource;
        _schema = schema;
        _logger = logger;
    }

    /// <summary>Starts the jobs against <paramref name="connectionString"/>; the first runs come after <see cref="JobSchedule.FirstRun"/>.</summary>
    public static JobRunner Start(string connectionString, string schema, JobSchedule schedule, ILogger logger)
    {
        var runner = new JobRunner(PostgresDatabase.Create(connectionString, "bmpmond jobs"), schema, logger);
        var jobs = StorageJobs.All(schema, schedule, logger);
        lock (runner._lock)
        {
            for (var i = 0; i < jobs.Count; i++)
            {
                var job = jobs[i];
                var timer = new Timer(_ => runner.RunAndRearm(job), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                runner._timers.Add((job, timer));
            }

            // Staggered a little so the jobs do not open their connections in the same millisecond.
            for (var i = 0; i < runner._timers.Count; i++)
            {
                runner._timers[i].Timer.Change(schedule.FirstRun + TimeSpan.FromMilliseconds(100 * i), Timeout.InfiniteTimeSpan);
            }
        }

        return runner;
    }

    /// <summary>Runs <paramref name="job"/> now and records the run; returns whether it succeeded.</summary>
    public bool RunOnce(PeriodicJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var connection = _dataSource.OpenConnection();
            var result = job.Run(connection);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Record(connection, job, elapsed, result, ok: true);
            Log.JobDone(_logger, job.Name, elapsed, result);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException or InvalidCastException)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log.JobFailed(_logger, e, job.Name, elapsed, job.Interval.TotalSeconds);
            try
            {
                using var connection = _dataSource.OpenConnection();
                var text = e.Message.Length > MaxResultLength ? e.Message[..MaxResultLength] : e.Message;
                Record(connection, job, elapsed, text, ok: false);
            }
            catch (Exception again) when (again is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // The database is down: the job's row keeps its last run, so status reports it overdue.
            }

            return false;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (var (_, timer) in _timers)
        {
            // Waits for a run in progress to end before the data source goes.
            using var done = new ManualResetEvent(false);
            if (timer.Dispose(done))
            {
                done.WaitOne(TimeSpan.FromSeconds(30));
            }
        }

        _dataSource.Dispose();
    }

    private void RunAndRearm(PeriodicJob job)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
        }

        RunOnce(job);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var (j, timer) in _timers)
            {
                if (ReferenceEquals(j, job))
                {
                    timer.Change(job.Interval, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    private void Record(NpgsqlConnection connection, PeriodicJob job, double elapsedMs, string result, bool ok)
    {
        using var command = new NpgsqlCommand(JobSql.For(JobSql.RecordJob, _schema), connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Name });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = elapsedMs });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = result });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = ok });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = job.Interval.TotalSeconds });
        command.ExecuteNonQuery();
    }
}
