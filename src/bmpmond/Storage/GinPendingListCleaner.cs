using System.Diagnostics;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// Moves the GIN index on <c>path_attributes.as_path</c> off the attribute sets' commit. With
/// fastupdate (PostgreSQL's default) a GIN insert only appends the row's entries to the index's
/// pending list; the costly part is merging that list into the entry tree, which the inserting
/// backend does itself, inside the writer's transaction, whenever the list outgrows
/// <c>gin_pending_list_limit</c> (16 MB, schema step 6). While a full table brings its sets the
/// attribute part is the batch's critical path, and the merges a large part of it (README
/// "Latest"). This thread merges the list on a connection of its own
/// (<c>gin_clean_pending_list</c>) once about <see cref="SetsPerMerge"/> new sets are in it, well
/// before the limit, so the inserting backend never finds it over the limit and the merge runs on
/// the core the other parts leave idle then. Merges are not made smaller than that: merging a
/// list costs per key it touches, so small lists cost more per set (measured on the bench's sets:
/// 4.1 s for 30 merges of 10,000, 2.5 s for two of 150,000). A trickle is merged after
/// <see cref="MaxAge"/>. An inserter whose list overflows anyway (this thread behind, failing or
/// not allowed) merges it as before: the index is always complete.
/// </summary>
internal sealed class GinPendingListCleaner : IDisposable
{
    /// <summary>New sets that make a merge due: about 10 MB of list for the bench's paths, under the 16 MB limit.</summary>
    public const int SetsPerMerge = 96_000;

    /// <summary>Sets stored this long ago are merged even if fewer: the list a query scans stays short under a trickle.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private readonly NpgsqlDataSource _dataSource;
    private readonly long _setsPerMerge;
    private readonly TimeSpan _maxAge;
    private readonly string _sql;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly Thread _thread;
    private NpgsqlConnection? _connection;
    private long _unmerged;
    private long _firstUnmerged;
    private bool _stopping;
    private long _merges;
    private long _pages;
    private long _ticks;
    private int _refused;

    /// <param name="dataSource">Where the merges connect (a connection of their own).</param>
    /// <param name="schema">The schema of the index.</param>
    /// <param name="logger">Tells when the database refuses the merge.</param>
    /// <param name="setsPerMerge">Tests: <see cref="SetsPerMerge"/> otherwise.</param>
    /// <param name="maxAge">Tests: <see cref="MaxAge"/> otherwise.</param>
    public GinPendingListCleaner(NpgsqlDataSource dataSource, string schema, ILogger logger, int setsPerMerge = SetsPerMerge, TimeSpan? maxAge = null)
    {
        _dataSource = dataSource;
        _setsPerMerge = setsPerMerge;
        _maxAge = maxAge ?? MaxAge;
        _sql = PostgresSql.For(PostgresSql.CleanAsPathPendingList, schema);
        _logger = logger;
        _thread = new Thread(Run) { Name = "bmpmond-gin", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Merges so far.</summary>
    public long Merges => Interlocked.Read(ref _merges);

    /// <summary>Pending-list pages merged into the index so far.</summary>
    public long PagesMerged => Interlocked.Read(ref _pages);

    /// <summary>Wall seconds spent merging so far.</summary>
    public double Seconds => Interlocked.Read(ref _ticks) / (double)Stopwatch.Frequency;

    /// <summary>False once the database refused the merge for lack of rights (the inserters merge, as without this thread).</summary>
    public bool Enabled => Volatile.Read(ref _refused) == 0;

    /// <summary>New attribute sets committed (the attribute thread, after its COMMIT). Never waits.</summary>
    public void SetsStored(int sets)
    {
        if (sets <= 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_unmerged == 0)
            {
                _firstUnmerged = Stopwatch.GetTimestamp();
            }

            _unmerged += sets;
            if (_unmerged == sets || _unmerged >= _setsPerMerge)
            {
                // The first sets start the age clock of the wait; enough sets end it.
                Monitor.PulseAll(_lock);
            }
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
        _connection?.Dispose();
    }

    private void Run()
    {
        while (WaitUntilDue())
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                _connection ??= _dataSource.OpenConnection();
                using var command = new NpgsqlCommand(_sql, _connection);
                var pages = (int)command.ExecuteScalar()!;
                Interlocked.Add(ref _pages, pages);
                Interlocked.Increment(ref _merges);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                // Only the index's owner may merge: a database migrated by another role keeps PostgreSQL's own merging.
                Log.GinMergeRefused(_logger, e.MessageText);
                Volatile.Write(ref _refused, 1);
                return;
            }
            catch (Exception e) when (PostgresWriterConnection.IsDatabaseFailure(e))
            {
                // The writer logs and retries the outage; the next stored sets ask again.
                _connection?.Dispose();
                _connection = null;
            }

            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
        }
    }

    /// <summary>Waits until a merge is due (<see cref="SetsPerMerge"/> sets, or sets older than <see cref="MaxAge"/>); false when stopping.</summary>
    private bool WaitUntilDue()
    {
        lock (_lock)
        {
            while (!_stopping)
            {
                if (_unmerged >= _setsPerMerge)
                {
                    break;
                }

                if (_unmerged == 0)
                {
                    Monitor.Wait(_lock);
                    continue;
                }

                var rest = _maxAge - Stopwatch.GetElapsedTime(_firstUnmerged);
                if (rest <= TimeSpan.Zero)
                {
                    break;
                }

                Monitor.Wait(_lock, rest);
            }

            if (_stopping)
            {
                return false;
            }

            _unmerged = 0;
            return true;
        }
    }
}
