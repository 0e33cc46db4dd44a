using System.Runtime.ExceptionServices;

namespace Bmpmond.Storage;

/// <summary>
/// One of the daemon's extra database threads: it commits one part of each batch (the history,
/// or the new attribute sets) on a connection of its own while the database thread writes the
/// state (<see cref="PostgresBatchCommit.Commit(Npgsql.NpgsqlConnection, CommitLane, CommitLane, byte[], int)"/>),
/// so several PostgreSQL backends work on one batch: one backend is the ingest bottleneck
/// otherwise (README "Ingest performance"). A dedicated thread, like the database thread, so the
/// thread pool's load never delays a commit.
/// </summary>
internal sealed class CommitThread : IDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(20);

    private readonly object _lock = new();
    private readonly Thread _thread;
    private Action? _work;
    private ExceptionDispatchInfo? _error;
    private bool _running;
    private bool _stopping;

    /// <param name="name">The thread's name (Linux shows 15 characters).</param>
    public CommitThread(string name)
    {
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the thread; one piece of work at a time.</summary>
    public void Start(Action work)
    {
        lock (_lock)
        {
            if (_running)
            {
                throw new InvalidOperationException($"{_thread.Name} is busy");
            }

            ObjectDisposedException.ThrowIf(_stopping, this);
            _work = work;
            _error = null;
            _running = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Waits for the work started last and rethrows its exception, if any, once: a later wait does not see it again.</summary>
    public void Wait()
    {
        lock (_lock)
        {
            while (_running)
            {
                Monitor.Wait(_lock);
            }

            var error = _error;
            _error = null;
            error?.Throw();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }

        _thread.Join(StopWait);
    }

    private void Run()
    {
        while (true)
        {
            Action work;
            lock (_lock)
            {
                while (_work is null && !_stopping)
                {
                    Monitor.Wait(_lock);
                }

                if (_work is null)
                {
                    return;
                }

                work = _work;
                _work = null;
            }

            ExceptionDispatchInfo? error = null;
            try
            {
                work();
            }
            catch (Exception e)
            {
                // Handed to the database thread, which classifies it (a database failure is retried) as if it were its own.
                error = ExceptionDispatchInfo.Capture(e);
            }

            lock (_lock)
            {
                _error = error;
                _running = false;
                Monitor.PulseAll(_lock);
            }
        }
    }
}
