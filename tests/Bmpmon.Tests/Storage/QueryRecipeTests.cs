using System.Text.RegularExpressions;
using Bmpmon.Tests.Postgres;
using Npgsql;
using static Bmpmon.Tests.Decoding.BmpBuilder;
using static Bmpmon.Tests.Storage.StorageTestSupport;

namespace Bmpmon.Tests.Storage;

/// <summary>Runs every recipe of docs/queries.md against a database loaded through the daemon and checks its rows.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class QueryRecipeTests(SharedPostgres postgres)
{
    private static readonly DateTime PeerTime = DateTime.UnixEpoch.AddSeconds(1_700_000_000);

    [Fact]
    public async Task Every_recipe_in_docs_queries_returns_the_expected_rows()
    {
        var recipes = Recipes();
        Assert.Equal(["churn-last-hour", "current-routes-of-peer", "origin-as-changed", "rib-of-peer-at-time", "sync-convergence", "where-is-mac"], recipes.Keys.Order(StringComparer.Ordinal));
        var cs = postgres.CreateDatabase();
        using (var daemon = PostgresDaemon(cs))
        {
            await daemon.SendAsync(Stream());
            await daemon.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, daemon.Stop());
        }

        var churn = Run(cs, recipes["churn-last-hour"]);
        Assert.Equal(2, churn.Count);
        Assert.Equal((4L, 1L), (churn.Sum(r => (long)r[5]!), churn.Sum(r => (long)r[6]!)));

        var mac = Assert.Single(Run(cs, recipes["where-is-mac"], "00:11:22:33:44:55"));
        Assert.Equal(7L, mac[5]);
        Assert.Empty(Run(cs, recipes["where-is-mac"], "00:11:22:33:44:56"));

        var current = Run(cs, recipes["current-routes-of-peer"], "192.0.2.2");
        Assert.Equal(2, current.Count);
        var unicast = current.Single(r => r[3] is not null);
        Assert.Equal("10.0.0.0/8", unicast[3]!.ToString());
        Assert.Equal(new long[] { 65001, 65003 }, unicast[6]);

        Assert.Equal(2, Run(cs, recipes["rib-of-peer-at-time"], "192.0.2.2", PeerTime).Count);
        Assert.Empty(Run(cs, recipes["rib-of-peer-at-time"], "192.0.2.2", PeerTime.AddSeconds(-1)));

        // A first Peer Up has no earlier sync to compare with: nothing converging (ResyncTests checks a reconnect).
        Assert.Empty(Run(cs, recipes["sync-convergence"]));

        var changed = Assert.Single(Run(cs, recipes["origin-as-changed"], PeerTime.AddDays(-1)));
        Assert.Equal("10.0.0.0/8", changed[0]!.ToString());
        Assert.Equal(new long[] { 65002, 65003 }, changed[1]);
    }

    /// <summary>10.0.0.0/8 from origin 65002 then 65003; 192.0.2.0/24 announced then withdrawn; one EVPN MAC/IP route.</summary>
    private static byte[] Stream()
    {
        byte[][] caps = [MultiprotocolCapability(1, 1), MultiprotocolCapability(25, 70), FourOctetAsCapability(65001)];
        byte[] evpnNlri =
        [
            2, 37, 0, 1, 0, 0, 0, 1, 0, 100, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 7,
            48, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 32, 192, 0, 2, 77, 0, 0, 0x11,
        ];
        return
        [
            .. PeerUp(Open(23456, caps), Open(23456, caps)),
            .. RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001, 65002), .. NextHop(192, 0, 2, 1)], [8, 10])),
            .. RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001, 65003), .. NextHop(192, 0, 2, 1)], [8, 10])),
            .. RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001), .. NextHop(192, 0, 2, 1)], [24, 192, 0, 2])),
            .. RouteMonitoring(Update([24, 192, 0, 2], [], [])),
            .. RouteMonitoring(Update([], [.. Origin(), .. AsPath4(65001), .. MpReach(25, 70, [192, 0, 2, 1], evpnNlri)], [])),
        ];
    }

    internal static List<object?[]> Run(string cs, string sql, params object[] parameters)
    {
        using var connection = new NpgsqlConnection(cs);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

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

    internal static Dictionary<string, string> Recipes()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "queries.md")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var text = File.ReadAllText(Path.Combine(dir.FullName, "docs", "queries.md"));
        return RecipeBlock().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim().TrimEnd(';'));
    }

    [GeneratedRegex(@"```sql\n-- recipe: ([a-z-]+)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex RecipeBlock();
}
