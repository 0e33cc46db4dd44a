using System.Globalization;
using System.Security.Cryptography;
using Bmpmon.Core.Capture;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Storage;
using Bmpmond.Pipeline;
using Bmpmond.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Bmpmond.Commands;

/// <summary>
/// <c>bmpmond import [--env-file PATH] [--port N] [--router ADDR] FILE...</c>: loads raw BMP streams
/// and pcap/pcapng captures into the database through the daemon's own PostgreSQL output, one
/// session per TCP stream (router = the stream's source address; <c>--router</c> for raw streams,
/// which carry none), so rows look as if the routers had sent them: times from the per-peer
/// headers, arrival = the import time. A file is first decoded completely; one that cannot be
/// read, is damaged, or loses its BMP framing is reported by name and imports nothing. Each file's
/// rows and its <c>import_ledger</c> row (its SHA-256) commit in one transaction, so a file that
/// fails midway (database error) leaves nothing and can be imported again, and a file already in
/// the ledger is skipped. Exit 0 when every file was imported or skipped, 1 when any failed, 2 on
/// bad usage.
/// </summary>
internal static class ImportCommand
{
    public const string Usage = "usage: bmpmond import [--env-file PATH] [--port N] [--router ADDR] FILE...";

    /// <summary>The router address of raw BMP streams when <c>--router</c> is not given.</summary>
    public const string DefaultRawRouter = "0.0.0.0";

    /// <summary>Chunk fed to the decoder at a time: bounds one session batch, as a socket read does in the daemon.</summary>
    private const int ChunkBytes = 256 * 1024;

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        if (!TryParse(args, out var envFile, out var port, out var rawRouter, out var files, out var problem))
        {
            stderr.WriteLine($"bmpmond import: {problem}");
            stderr.WriteLine(Usage);
            return 2;
        }

        if (CommandSettings.Database("import", envFile, stderr) is not { } target)
        {
            return 2;
        }

        using var writer = new StreamWriter(stdout, leaveOpen: true) { AutoFlush = true };
        return Import(target.ConnectionString, files, port, rawRouter, writer, stderr, NullLogger.Instance, target.Schema);
    }

    /// <summary>Imports <paramref name="files"/> into <paramref name="schema"/>; returns the exit status.</summary>
    public static int Import(string connectionString, IReadOnlyList<string> files, ushort? port, string rawRouter, TextWriter output, TextWriter stderr, ILogger logger, string schema = SchemaMigrations.DefaultSchema)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(stderr);
        PostgresImportWriter database;
        try
        {
            database = PostgresImportWriter.Open(connectionString, logger, schema);
        }
        catch (IOException e)
        {
            stderr.WriteLine($"bmpmond import: {e.Message}");
            return 1;
        }

        var failed = false;
        using (database)
        {
            foreach (var file in files)
            {
                try
                {
                    failed |= !ImportFile(file, port, rawRouter, database, schema, output, stderr);
                }
                catch (Exception e) when (PostgresWriterConnection.IsDatabaseFailure(e))
                {
                    database.AbortFile();
                    stderr.WriteLine($"bmpmond import: {file}: database failed: {e.Message}; nothing imported");
                    failed = true;
                }
            }
        }

        return failed ? 1 : 0;
    }

    private static bool ImportFile(string file, ushort? port, string rawRouter, PostgresImportWriter database, string schema, TextWriter output, TextWriter stderr)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"bmpmond import: {file}: cannot read: {e.Message}");
            return false;
        }

        var sha256 = SHA256.HashData(bytes);
        if (ImportedAt(database.DataSource, schema, sha256) is { } when)
        {
            output.WriteLine($"{file}: already imported at {when.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} (sha256 {Convert.ToHexStringLower(sha256)}), skipped");
            return true;
        }

        var capture = CaptureReader.Read(bytes, port);
        if (capture.Error is { } damage)
        {
            stderr.WriteLine($"bmpmond import: {file}: {capture.Format} capture damaged at file offset {damage.FileOffset.ToString(CultureInfo.InvariantCulture)}: {damage.Reason}; nothing imported");
            return false;
        }

        if (capture.Streams.Count == 0)
        {
            stderr.WriteLine($"bmpmond import: {file}: no BMP stream found{(port is null ? " (try --port)" : string.Empty)}; nothing imported");
            return false;
        }

        // Decode everything once first, so a damaged file imports nothing rather than a part.
        foreach (var stream in capture.Streams)
        {
            if (Validate(stream.Payload) is { } error)
            {
                var router = capture.Format == CaptureFormat.RawBmp ? "raw stream" : $"stream {stream.Source}";
                stderr.WriteLine($"bmpmond import: {file}: {router}: {error}; nothing imported");
                return false;
            }
        }

        long routes = 0;
        database.BeginFile();
        foreach (var stream in capture.Streams)
        {
            routes += Feed(database, capture.Format == CaptureFormat.RawBmp ? rawRouter : stream.Source, stream.Payload);
        }

        database.CompleteFile(connection => Record(connection, schema, sha256, file, bytes.Length, capture.Streams.Count, routes));
        output.WriteLine($"{file}: imported {capture.Streams.Count.ToString(CultureInfo.InvariantCulture)} streams, {routes.ToString(CultureInfo.InvariantCulture)} routes (sha256 {Convert.ToHexStringLower(sha256)})");
        return true;
    }

    private static string? Validate(byte[] payload)
    {
        using var decoder = new BmpStreamDecoder();
        var counts = new SummarySink(new DecodeSummary());
        decoder.Feed(payload, ref counts);
        if (decoder.Complete(out var framing))
        {
            return null;
        }

        var e = framing!.Value;
        return $"{e.Error.Reason} in {e.Error.Where} at stream offset {(e.StreamOffset + e.Error.Offset).ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>One stream through the output, as a router session would: decode a chunk, hand its batch to the writer.</summary>
    private static long Feed(PostgresImportWriter database, string router, byte[] payload)
    {
        using var decoder = new BmpStreamDecoder();
        var session = database.OpenSession(router);
        long routes = 0;
        try
        {
            for (var offset = 0; offset < payload.Length; offset += ChunkBytes)
            {
                decoder.Feed(payload.AsSpan(offset, Math.Min(ChunkBytes, payload.Length - offset)), ref session);
                routes += Hand(database, session);
            }

            return routes + Hand(database, session);
        }
        finally
        {
            session.Close();
        }
    }

    private static long Hand(PostgresImportWriter database, ISessionOutput session)
    {
        if (session.TakeBatch() is not { } batch)
        {
            return 0;
        }

        try
        {
            database.Write(batch);
            return batch.Routes;
        }
        finally
        {
            batch.Release();
        }
    }

    private static DateTime? ImportedAt(NpgsqlDataSource ledger, string schema, byte[] sha256)
    {
        using var command = ledger.CreateCommand($"SELECT imported_at FROM {schema}.import_ledger WHERE sha256 = $1");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = sha256 });
        return command.ExecuteScalar() is DateTime when ? when : null;
    }

    private static void Record(NpgsqlConnection connection, string schema, byte[] sha256, string file, long bytes, int streams, long routes)
    {
        using var command = new NpgsqlCommand(
            $"INSERT INTO {schema}.import_ledger (sha256, file_name, bytes, streams, routes) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING", connection);
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = sha256 });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Path.GetFileName(file) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = bytes });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = streams });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = routes });
        command.ExecuteNonQuery();
    }

    private static bool TryParse(ReadOnlySpan<string> args, out string? envFile, out ushort? port, out string rawRouter, out List<string> files, out string problem)
    {
        envFile = null;
        port = null;
        rawRouter = DefaultRawRouter;
        files = [];
        problem = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--env-file" when i + 1 < args.Length:
                    envFile = args[++i];
                    break;
                case "--port":
                    if (i + 1 >= args.Length || !ushort.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p == 0)
                    {
                        problem = "--port needs a TCP port number (1-65535)";
                        return false;
                    }

                    port = p;
                    i++;
                    break;
                case "--router":
                    if (i + 1 >= args.Length || !System.Net.IPAddress.TryParse(args[i + 1], out _))
                    {
                        problem = "--router needs an IP address";
                        return false;
                    }

                    rawRouter = args[++i];
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    problem = $"unknown option '{option}'";
                    return false;
                default:
                    files.Add(args[i]);
                    break;
            }
        }

        if (files.Count == 0)
        {
            problem = "no input file";
            return false;
        }

        return true;
    }
}
