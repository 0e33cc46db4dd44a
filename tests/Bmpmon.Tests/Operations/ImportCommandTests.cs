using System.Text;
using System.Text.Json;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Tests.Postgres;
using Bmpmond.Commands;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Operations;

/// <summary><c>bmpmond import</c> against a real PostgreSQL 15, with the shared fixture captures.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ImportCommandTests(SharedPostgres postgres, ITestOutputHelper output)
{
    private const string CountsPerFamily =
        "SELECT afi, safi, count(*) FILTER (WHERE NOT is_withdrawn), count(*) FILTER (WHERE is_withdrawn) FROM bmpmon.route_updates GROUP BY afi, safi";

    [FixtureFact]
    public void Imports_with_the_counts_of_decode_summary_and_twice_adds_nothing()
    {
        var root = Fixtures.RequireRoot();

        string[] files =
        [
            Path.Combine(root, "netgauze", "evpn__evpn.pcap"),
            Path.Combine(root, "pmacct", "204-BMP-CISCO-peer_down__traffic-00.pcap"),
            Path.Combine(root, "bmp_play", "bmp.dump"),
        ];
        var cs = postgres.CreateDatabase();

        var (exit, stdout, stderr) = Import(cs, files);
        output.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);
        Assert.Equal(3, stdout.Split('\n').Count(l => l.Contains(": imported ", StringComparison.Ordinal)));

        // Per family, exactly what `bmpmond decode --summary` counts over the same files.
        var expected = DecodeSummaryCounts(files);
        var actual = Query(cs, CountsPerFamily).ToDictionary(
            r => new AfiSafi((Afi)(short)r[0]!, (Safi)(short)r[1]!).Name,
            r => ((long)r[2]!, (long)r[3]!));
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));

        var tables = new[] { "route_updates", "peer_events", "routes", "bgp_peers", "bmp_routers", "path_attributes", "bmp_quarantine", "import_ledger" };
        var before = tables.ToDictionary(t => t, t => Scalar(cs, $"SELECT count(*) FROM bmpmon.{t}"));
        Assert.Equal(3, before["import_ledger"]);

        // The same files again (one under another name): nothing added.
        var copy = Path.Combine(Path.GetTempPath(), $"bmpmond-import-{Guid.NewGuid():N}.pcap");
        File.Copy(files[0], copy);
        try
        {
            var (again, stdout2, stderr2) = Import(cs, [.. files, copy]);
            output.WriteLine(stdout2 + stderr2);
            Assert.Equal(0, again);
            Assert.Equal(4, stdout2.Split('\n').Count(l => l.Contains("already imported", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(copy);
        }

        Assert.Equal(before, tables.ToDictionary(t => t, t => Scalar(cs, $"SELECT count(*) FROM bmpmon.{t}")));
    }

    [Fact]
    public void A_bad_file_is_named_and_the_others_still_import()
    {
        var folder = Directory.CreateTempSubdirectory("bmpmond-import-").FullName;
        try
        {
            var good = Path.Combine(folder, "good.bmp");
            File.WriteAllBytes(good, JobsDaemon.TwoRoutes());
            var garbage = Path.Combine(folder, "garbage.bmp");
            File.WriteAllBytes(garbage, [.. JobsDaemon.TwoRoutes(), .. "this is not BMP at all, version 0x74"u8.ToArray()]);
            var missing = Path.Combine(folder, "missing.pcap");
            var cs = postgres.CreateDatabase();

            var (exit, stdout, stderr) = Import(cs, [garbage, missing, good]);
            output.WriteLine(stdout + stderr);
            Assert.Equal(1, exit);
            Assert.Contains($"{garbage}: raw stream: ", stderr, StringComparison.Ordinal);
            Assert.Contains("nothing imported", stderr, StringComparison.Ordinal);
            Assert.Contains($"{missing}: cannot read", stderr, StringComparison.Ordinal);
            Assert.Contains($"{good}: imported 1 streams, 2 routes", stdout, StringComparison.Ordinal);

            // Only the good file's rows (the garbage file shares its first routes: none of them went in).
            Assert.Equal(2, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates"));
            Assert.Equal(1, Scalar(cs, "SELECT count(*) FROM bmpmon.import_ledger"));
            Assert.Equal("0.0.0.0", Query(cs, "SELECT host(address) FROM bmpmon.bmp_routers")[0][0]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_file_failing_at_its_commit_leaves_nothing_and_imports_again_later()
    {
        var folder = Directory.CreateTempSubdirectory("bmpmond-import-").FullName;
        try
        {
            // A big file (decoded in several chunks inside its transaction) whose ledger row the
            // database refuses, as a failure at the very end of the file would: all its rows must go.
            var failing = Path.Combine(folder, "fails.dump");
            File.WriteAllBytes(failing, Bmpmon.Bench.SyntheticTable.Build(20_000, 5_000));
            var good = Path.Combine(folder, "good.bmp");
            File.WriteAllBytes(good, JobsDaemon.TwoRoutes());
            var cs = postgres.CreateDatabase();
            Assert.Equal(0, Import(cs, [good]).Exit);
            Exec(cs, """
                CREATE FUNCTION bmpmon.refuse_file() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN IF NEW.file_name = 'fails.dump' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER refuse_file BEFORE INSERT ON bmpmon.import_ledger FOR EACH ROW EXECUTE FUNCTION bmpmon.refuse_file();
                """);
            var tables = new[] { "route_updates", "peer_events", "routes", "bgp_peers", "bmp_routers", "path_attributes", "import_ledger" };
            var before = tables.ToDictionary(t => t, t => Scalar(cs, $"SELECT count(*) FROM bmpmon.{t}"));

            var other = Path.Combine(folder, "other.bmp");
            File.WriteAllBytes(other, [.. JobsDaemon.TwoRoutes(), .. JobsDaemon.TwoRoutes()]);
            var (exit, stdout, stderr) = Import(cs, [failing, other]);
            output.WriteLine(stdout + stderr);
            Assert.Equal(1, exit);
            Assert.Contains($"{failing}: database failed: ", stderr, StringComparison.Ordinal);
            Assert.Contains("nothing imported", stderr, StringComparison.Ordinal);
            Assert.Contains($"{other}: imported 1 streams", stdout, StringComparison.Ordinal);
            var after = tables.ToDictionary(t => t, t => Scalar(cs, $"SELECT count(*) FROM bmpmon.{t}"));
            Assert.Equal(before["import_ledger"] + 1, after["import_ledger"]);
            Assert.Equal(before["route_updates"] + 4, after["route_updates"]);
            Assert.Equal(before["bgp_peers"], after["bgp_peers"]);
            Assert.Equal(before["path_attributes"], after["path_attributes"]);

            // The database accepts it again: the file imports completely, once.
            Exec(cs, "DROP TRIGGER refuse_file ON bmpmon.import_ledger");
            var (again, stdout2, stderr2) = Import(cs, [failing]);
            output.WriteLine(stdout2 + stderr2);
            Assert.Equal(0, again);
            var perFile = Summarize(File.ReadAllBytes(failing)).Nlri.Values.Sum(c => c.Announced + c.Withdrawn);
            Assert.True(perFile > Bmpmond.Storage.PostgresImportWriter.ChunkRoutes, $"{perFile} routes: one chunk only");
            Assert.Equal(after["route_updates"] + perFile, Scalar(cs, "SELECT count(*) FROM bmpmon.route_updates"));
            Assert.Equal(Rows(cs, RoutesFromReplay), Rows(cs, RoutesNow));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Exec(string cs, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(cs);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static (int Exit, string Stdout, string Stderr) Import(string cs, IReadOnlyList<string> files)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = ImportCommand.Import(cs, files, null, ImportCommand.DefaultRawRouter, stdout, stderr, NullLogger.Instance);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static Dictionary<string, (long, long)> DecodeSummaryCounts(string[] files)
    {
        using var stdout = new MemoryStream();
        Assert.Equal(0, Bmpmond.Cli.Run(["decode", "--summary", .. files], stdout, TextWriter.Null));
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(stdout.ToArray()));
        return json.RootElement.GetProperty("nlri").EnumerateObject()
            .Where(f => f.Value.GetProperty("announced").GetInt64() + f.Value.GetProperty("withdrawn").GetInt64() > 0)
            .ToDictionary(f => f.Name, f => (f.Value.GetProperty("announced").GetInt64(), f.Value.GetProperty("withdrawn").GetInt64()));
    }
}
