using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bmpmond.Configuration;
using Bmpmond.Logging;
using Bmpmond.Network;
using Bmpmond.Output;
using Bmpmond.Pipeline;
using Bmpmond.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Daemon;

/// <summary>
/// The running collector: output, pipeline, router sessions, listener, statistics, and the shutdown
/// sequence. Started by <c>bmpmond run</c>, and in-process by the tests.
/// </summary>
internal sealed class DaemonHost : IDisposable
{
    /// <summary>The whole shutdown never takes longer (systemd's TimeoutStopSec is above it).</summary>
    public static readonly TimeSpan ShutdownCap = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan SessionCloseWait = TimeSpan.FromSeconds(5);

    private readonly BmpmondOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SentryReporter? _sentry;
    private readonly IDaemonOutput _output;
    private readonly OutputPipeline _pipeline;
    private readonly RouterRegistry _routers;
    private readonly BmpListener _listener;
    private readonly RouteStatsReporter _stats;
    private readonly SystemdNotifier _notifier;
    private Storage.Jobs.JobRunner? _jobs;
    private readonly TaskCompletionSource<int> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopping;
    private volatile string _step = "starting";

    private DaemonHost(BmpmondOptions options, ILoggerFactory loggerFactory, SentryReporter? sentry, IDaemonOutput output, SystemdNotifier notifier, Socket listening)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("bmpmond");
        _sentry = sentry;
        _output = output;
        _notifier = notifier;
        _pipeline = new OutputPipeline(output, PipelineBound(options.MaxPendingBytes, output), _logger);
        _routers = new RouterRegistry(output, _pipeline, options.MaxSessions, (uint)options.MaxMessageBytes, _logger);
        _listener = BmpListener.Over(listening, options.IsAllowed, _routers, _logger);
        _stats = new RouteStatsReporter(_routers, _pipeline, options.StatsInterval, _logger);
    }

    /// <summary>The pipeline queue's ceiling.</summary>
    internal long PipelineMaxPendingBytes => _pipeline.MaxPendingBytes;

    /// <summary>What the pipeline queue holds right now (tests sample it under backpressure).</summary>
    internal long PipelinePendingBytes => _pipeline.PendingBytes;

    /// <summary>
    /// The pipeline queue's share of <c>BMPMOND_MAX_PENDING_MB</c>: what the output does not hold
    /// itself (<see cref="IDaemonOutput.HeldBytesBound"/>), and at least half of it. A ceiling, not
    /// a target: the queue holds only the <see cref="Pipeline.ReadAheadWindow"/> below it (about
    /// 1 s of what the output drains, at least 8 MiB), since more read-ahead adds memory and
    /// latency but no throughput, and the routers keep their data under TCP backpressure.
    /// </summary>
    internal static long PipelineBound(long maxPendingBytes, IDaemonOutput output) =>
        Math.Max(maxPendingBytes - output.HeldBytesBound, maxPendingBytes / 2);

    /// <summary>
    /// The cap this host's shutdown enforces: <see cref="ShutdownCap"/>, shorter in the tests that
    /// make a shutdown outlast it.
    /// </summary>
    internal TimeSpan Cap { get; set; } = ShutdownCap;

    /// <summary>What reaching the cap does: the process exits; tests record the code instead.</summary>
    internal Action<int> Exit { get; set; } = Environment.Exit;

    /// <summary>Where routers connect.</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>The open router sessions.</summary>
    public RouterRegistry Routers => _routers;

    /// <summary>Completes with the exit code once <see cref="Stop"/> has run.</summary>
    public Task<int> Stopped => _stopped.Task;

    /// <summary>
    /// Starts everything and binds the port; then tells systemd READY=1. Logs go to
    /// <paramref name="logStream"/>; a <c>jsonl:-</c> output writes to <paramref name="stdout"/>.
    /// With the PostgreSQL output the periodic jobs start too, on <paramref name="jobs"/>'s intervals
    /// (<see cref="Storage.Jobs.JobSchedule.Default"/> unless a test passes shorter ones).
    /// <paramref name="testOutput"/>, when given, replaces the output BMPMOND_OUTPUT names (tests
    /// use a slow or stuck one); the host disposes it.
    /// </summary>
    public static DaemonHost Start(BmpmondOptions options, Stream stdout, Stream logStream, SystemdNotifier notifier, Storage.Jobs.JobSchedule? jobs = null, IDaemonOutput? testOutput = null)
    {
        var sentry = SentryReporter.Create(options.SentryDsn, options.SentryEnvironment, options.SentryTracesSampleRate);
        var loggerFactory = JsonLogging.CreateFactory(options.LogLevel, logStream, sentry);
        BatchBufferPool.Configure(options.MaxPendingBytes, options.MaxSessions);

        // The port first: opening the PostgreSQL output (connect, migrations, partitions) takes
        // round trips, and routers that connect meanwhile wait in the listen backlog.
        Socket listening;
        IDaemonOutput output;
        try
        {
            listening = BmpListener.Listen(options.Listen);
        }
        catch
        {
            loggerFactory.Dispose();
            sentry?.Dispose();
            throw;
        }

        try
        {
            output = testOutput ?? options.Output.Kind switch
            {
                OutputKind.Jsonl => JsonlOutput.Open(options.Output.Path!, stdout),
                OutputKind.Postgres => Storage.PostgresOutput.Open(options.DatabaseUrl!, loggerFactory.CreateLogger("bmpmond"), Storage.PostgresOutputSettings.From(options), options.DbSchema),
                _ => new NullOutput(),
            };
        }
        catch
        {
            listening.Dispose();
            loggerFactory.Dispose();
            sentry?.Dispose();
            throw;
        }

        DaemonHost host;
        try
        {
            host = new DaemonHost(options, loggerFactory, sentry, output, notifier, listening);
        }
        catch
        {
            listening.Dispose();
            output.Dispose();
            loggerFactory.Dispose();
            sentry?.Dispose();
            throw;
        }

        if (output is Storage.PostgresOutput postgres)
        {
            // The database has been gone longer than BMPMOND_DB_OUTAGE_EXIT: stop as on SIGTERM, exit 1.
            postgres.OutageLimitReached += () => ThreadPool.UnsafeQueueUserWorkItem(static h => h.Stop("database outage"), host, preferLocal: false);
        }

        host._pipeline.Start();
        if (options.Output.Kind == OutputKind.Postgres && Storage.DatabaseUrl.TryParse(options.DatabaseUrl!, out var connectionString, out _))
        {
            host._jobs = Storage.Jobs.JobRunner.Start(connectionString, options.DbSchema, (jobs ?? Storage.Jobs.JobSchedule.Default) with { ResyncTimeout = options.ResyncTimeout, ReconcileSettle = jobs?.ReconcileSettle ?? Storage.Jobs.JobSchedule.SettleFor(options.DatabaseOutageExit) }, host._logger);
        }

        host._listener.Start();
        notifier.Ready();
        return host;
    }

    /// <summary>
    /// The shutdown sequence (SIGTERM/SIGINT): stop accepting; stop reading; drain the queue into
    /// the output (up to BMPMOND_SHUTDOWN_DRAIN_SECONDS); FIN to every router (up to 5 s); flush and
    /// close the output. Returns 0, or 1 when anything failed. Runs once; later calls wait for it.
    /// The PostgreSQL output runs it too ("database outage") when the database stays unreachable
    /// past BMPMOND_DB_OUTAGE_EXIT.
    /// </summary>
    public int Stop(string signal)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return _stopped.Task.GetAwaiter().GetResult();
        }

        var started = Stopwatch.GetTimestamp();
        using var cap = new Timer(static h => ((DaemonHost)h!).CapReached(), this, Cap, Timeout.InfiniteTimeSpan);
        Log.ShutdownStarted(_logger, signal);
        _notifier.Stopping();
        var failed = false;

        _step = "stopping the listener and the sessions' reads";
        _listener.Dispose();
        _jobs?.Dispose();
        _routers.StopReading();
        _step = "draining the queue into the output";
        var drain = _options.ShutdownDrainTimeout;
        var drainStarted = Stopwatch.GetTimestamp();
        if (!_pipeline.Drain(drain))
        {
            Log.DrainTimedOut(_logger, _pipeline.PendingBytes, drain.TotalSeconds);
            failed = true;
        }
        else if (_output is Storage.PostgresOutput postgres && !postgres.Drain(drain - Stopwatch.GetElapsedTime(drainStarted)) && !postgres.GaveUp)
        {
            Log.DrainTimedOut(_logger, _pipeline.PendingBytes, drain.TotalSeconds);
            failed = true;
        }

        _step = "closing the router sessions";
        _routers.CloseAll(SessionCloseWait);
        _stats.Dispose();
        _step = "stopping the output writer";
        _pipeline.Dispose();
        failed |= _pipeline.HasFailed || _output is Storage.PostgresOutput { GaveUp: true };
        _step = "flushing and closing the output";
        try
        {
            _output.Dispose();
        }
        catch (IOException e)
        {
            Log.OutputFailed(_logger, e, _output.Name);
            failed = true;
        }

        var exitCode = failed ? 1 : 0;
        Log.ShutdownComplete(_logger, exitCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
        // The logger hands its last ERROR lines to Sentry, so it goes first.
        _loggerFactory.Dispose();
        _sentry?.Flush(TimeSpan.FromSeconds(2));
        _sentry?.Dispose();
        _stopped.TrySetResult(exitCode);
        return exitCode;
    }

    public void Dispose() => Stop("dispose");

    /// <summary>
    /// The shutdown outlasted <see cref="Cap"/>: one ERROR line naming the step it is stuck in, the
    /// log flushed (its writer is asynchronous, and waits at most 5 s, inside systemd's 70 s
    /// TimeoutStopSec), then exit 1 without waiting for the stuck step.
    /// </summary>
    private void CapReached()
    {
        Log.ShutdownCapReached(_logger, Cap.TotalSeconds, _step);
        _loggerFactory.Dispose();
        Exit(1);
    }
}
