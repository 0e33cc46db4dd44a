using System.Diagnostics;
using System.Globalization;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Storage;
using Bmpmond.Pipeline;
using Bmpmond.Storage;
using Npgsql;

namespace Bmpmon.Bench;

/// <summary>
/// <c>Bmpmon.Bench batch-cost URL IPV4 IPV6 EVPN [ROUTERS [ATTR_SETS]]</c>: the database side of
/// ingest alone. The synthetic table of each router is decoded and encoded into storage records
/// first (not timed), then committed through the daemon's own <see cref="PostgresBatchCommit"/> in
/// transactions of 10,000 routes on one connection, twice: a first load (every key new) and the
/// same tables again (every route re-announced unchanged). Prints routes/s and the wall time of
/// each statement kind, then the COPY ceiling of the same server in the same run: the rows just
/// stored COPYed back into empty copies of the three tables (same indexes), 10,000 per COPY and
/// transaction, pre-built binary rows, no decoding or encoding.
/// </summary>
public static class BatchCost
{
    private const int BatchRoutes = 10_000;
    private const int ChunkBytes = 256 * 1024;

    public static void Run(string url, int ipv4, int ipv6, int evpn, int routers, int attributeSets)
    {
        if (!DatabaseUrl.TryParse(url, out var connectionString, out var problem))
        {
            throw new ArgumentException(problem, nameof(url));
        }

        using var dataSource = PostgresDatabase.Create(connectionString, "bmpmon-bench");
        SchemaMigrator.Apply(dataSource);
        Execute(dataSource, PostgresSql.For(PostgresSql.EnsurePartitions, SchemaMigrations.DefaultSchema));

        var key = PostgresDatabase.ReadAttributeIdKey(dataSource, SchemaMigrations.DefaultSchema);
        var encodeStart = Stopwatch.GetTimestamp();
        var batches = new List<(PostgresRouterState State, byte[] Bytes, long Routes)>();
        for (var r = 0; r < routers; r++)
        {
            var table = SyntheticTable.Build(ipv4, ipv6, evpnRoutes: evpn, peerAddress: SyntheticTable.DefaultPeerAddress + (uint)r, attributeSets: attributeSets);
            Encode($"192.0.2.{100 + r}:179", key, table, batches);
        }

        var total = batches.Sum(b => b.Routes);
        Console.WriteLine($"# batch-cost: {routers} router(s) x ({ipv4} IPv4 + {ipv6} IPv6 + {evpn} EVPN) = {total:N0} routes, attribute sets {(attributeSets == 0 ? "one per route" : attributeSets)}; encoded in {Stopwatch.GetElapsedTime(encodeStart).TotalSeconds:F1} s");
        Console.WriteLine($"# server: {Scalar(dataSource, "SELECT version()")}");

        using (var connection = dataSource.OpenConnection())
        {
            Execute(connection, PostgresSql.For(PostgresSql.CreateStaging, SchemaMigrations.DefaultSchema));

            // The same first load twice, the baseline first: every key through the staged upsert, then new keys by COPY.
            Pass("first load, every key upserted (freshPeers: false)", connection, new PostgresBatchCommit(SchemaMigrations.DefaultSchema, freshPeers: false), batches);
            Execute(connection, "TRUNCATE bmpmon.routes, bmpmon.route_updates, bmpmon.path_attributes, bmpmon.peer_sync");
            Execute(connection, "VACUUM ANALYZE");
            foreach (var state in batches.Select(b => b.Item1).Distinct())
            {
                // Resolved again, so the writer sees the peers' empty routes.
                state.RouterId = 0;
                state.PeerIds.Clear();
            }

            var commit = new PostgresBatchCommit(SchemaMigrations.DefaultSchema, freshPeers: true);
            Pass("first load (new keys by COPY, freshPeers: true)", connection, commit, batches);
            Pass("same tables again (unchanged routes)", connection, commit, batches);
        }

        Ceiling(dataSource);
    }

    /// <summary>Decodes one router's stream as a session would and splits the records into batches of ~10,000 routes.</summary>
    private static void Encode(string router, AttributeIdKey key, byte[] stream, List<(PostgresRouterState, byte[], long)> batches)
    {
        using var decoder = new BmpStreamDecoder();
        var session = new PostgresSessionOutput(router, key);
        var pending = new MemoryStream();
        long routes = 0;
        PostgresRouterState? state = null;
        for (var offset = 0; offset <= stream.Length; offset += ChunkBytes)
        {
            if (offset < stream.Length)
            {
                decoder.Feed(stream.AsSpan(offset, Math.Min(ChunkBytes, stream.Length - offset)), ref session);
            }

            if (session.TakeBatch() is { } batch)
            {
                state = (PostgresRouterState)batch.Payload!;
                pending.Write(batch.Bytes);
                routes += batch.Routes;
                batch.Release();
            }

            if (state is not null && pending.Length > 0 && (routes >= BatchRoutes || offset + ChunkBytes > stream.Length))
            {
                batches.Add((state, pending.ToArray(), routes));
                pending.SetLength(0);
                routes = 0;
            }
        }

        session.Close();
    }

    private static void Pass(string name, NpgsqlConnection connection, PostgresBatchCommit commit, List<(PostgresRouterState State, byte[] Bytes, long Routes)> batches)
    {
        commit.Timings.Reset();
        var start = Stopwatch.GetTimestamp();
        long routes = 0;
        foreach (var (state, bytes, _) in batches)
        {
            commit.Clear();
            commit.AddSegment(state, 0, bytes.Length);
            routes += commit.Commit(connection, bytes, bytes);
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine($"## {name}: {routes:N0} routes in {seconds:F2} s = {routes / seconds:N0} routes/s ({batches.Count} transactions)");
        foreach (var step in Enum.GetValues<BatchStep>())
        {
            var s = commit.Timings.Seconds(step);
            Console.WriteLine($"  {step,-18} {s,8:F2} s  {s / seconds * 100,5:F1} %  {s / routes * 1e6,6:F2} µs/route");
        }
    }

    /// <summary>The three tables' rows as stored, COPYed back into empty copies with the same indexes, 10,000 rows per COPY and transaction.</summary>
    private static void Ceiling(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        double all = 0;
        long ru = 0;
        foreach (var table in (string[])["path_attributes", "route_updates", "routes"])
        {
            var file = Path.Combine(Path.GetTempPath(), $"bmpmon-batch-cost-{Environment.ProcessId}-{table}");
            using (var export = connection.BeginRawBinaryCopy($"COPY (SELECT * FROM bmpmon.{table}) TO STDOUT (FORMAT binary)"))
            using (var output = File.Create(file + ".bin"))
            {
                export.CopyTo(output);
            }

            var (files, rows) = CopySplit.Run(file + ".bin", BatchRoutes, file);
            File.Delete(file + ".bin");
            Execute(connection, $"DROP TABLE IF EXISTS ceiling_{table}; CREATE TABLE ceiling_{table} (LIKE bmpmon.{table} INCLUDING ALL); CHECKPOINT");
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < files; i++)
            {
                var chunk = file + "." + i.ToString("D5", CultureInfo.InvariantCulture);
                using (var transaction = connection.BeginTransaction())
                {
                    using (var import = connection.BeginRawBinaryCopy($"COPY ceiling_{table} FROM STDIN (FORMAT binary)"))
                    using (var input = File.OpenRead(chunk))
                    {
                        input.CopyTo(import);
                    }

                    transaction.Commit();
                }

                File.Delete(chunk);
            }

            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            all += seconds;
            ru = table == "route_updates" ? rows : ru;
            Console.WriteLine($"## COPY ceiling {table}: {rows:N0} rows in {seconds:F2} s = {rows / seconds:N0} rows/s");
            Execute(connection, $"DROP TABLE ceiling_{table}");
        }

        Console.WriteLine($"## COPY ceiling, all three tables per route: {ru / all:N0} routes/s");
    }

    private static void Execute(NpgsqlDataSource dataSource, string sql)
    {
        using var connection = dataSource.OpenConnection();
        Execute(connection, sql);
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static string Scalar(NpgsqlDataSource dataSource, string sql)
    {
        using var command = dataSource.CreateCommand(sql);
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
