using System.Globalization;
using Bmpmon.Core.Decoding;
using Bmpmon.Tests.Daemon;
using Npgsql;

namespace Bmpmon.Tests.Storage;

/// <summary>Helpers for the storage tests: a daemon writing to PostgreSQL, queries, and the decoder's own counts.</summary>
internal static class StorageTestSupport
{
    /// <summary>The attribute id key of sessions made by tests (a daemon reads its database's).</summary>
    public static readonly Bmpmon.Core.Storage.AttributeIdKey TestAttributeIdKey = new(0x0706050403020100, 0x0f0e0d0c0b0a0908);

    public static TestDaemon PostgresDaemon(string connectionString) =>
        new(("BMPMOND_OUTPUT", "postgres"), ("BMPMOND_DATABASE_URL", connectionString));

    public static DecodeSummary Summarize(byte[] payload)
    {
        var summary = new DecodeSummary();
        var sink = new SummarySink(summary);
        using var decoder = new BmpStreamDecoder();
        decoder.Feed(payload, ref sink);
        return summary;
    }

    public static List<object?[]> Query(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
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

    public static long Scalar(string connectionString, string sql) =>
        Convert.ToInt64(Query(connectionString, sql)[0][0], CultureInfo.InvariantCulture);

    /// <summary>
    /// What <c>routes</c> must hold, from replaying <c>route_updates</c> in order (seq): per route
    /// key the last update, withdrawn if it was a withdrawal or a Peer Down of its peer came after
    /// it, or a later sync of its peer, RIB and family ended without it (End-of-RIB or timeout sweep). Returns (keys, live routes) and checks the live set's attributes too.
    /// </summary>
    public const string RoutesFromReplay = """
        WITH k AS (
            SELECT DISTINCT ON (peer_id, rib, afi, safi, rd, prefix, path_id, evpn_route_type, esi_k, ethernet_tag, mac, evpn_ip, raw_nlri)
                   peer_id, rib, afi, safi, rd, prefix, path_id, evpn_route_type, esi_k, ethernet_tag, mac, evpn_ip, raw_nlri,
                   is_withdrawn, attrs_id, arrival
            FROM (SELECT *, CASE WHEN evpn_route_type IN (1, 4) THEN esi END AS esi_k FROM bmpmon.route_updates) u
            ORDER BY peer_id, rib, afi, safi, rd, prefix, path_id, evpn_route_type, esi_k, ethernet_tag, mac, evpn_ip, raw_nlri, seq DESC
        )
        SELECT peer_id, rib, afi, safi, rd, prefix, path_id, evpn_route_type, esi_k, ethernet_tag, mac, evpn_ip, raw_nlri,
               NOT is_withdrawn AND NOT EXISTS (SELECT 1 FROM bmpmon.peer_events e
                   WHERE e.peer_id = k.peer_id AND e.event = 'peer_down' AND e.arrival > k.arrival)
               AND NOT EXISTS (SELECT 1 FROM bmpmon.peer_sync y
                   WHERE y.peer_id = k.peer_id AND y.rib = k.rib AND y.afi = k.afi AND y.safi = k.safi
                     AND y.sync_end IS NOT NULL AND y.start_arrival > k.arrival) AS live
        FROM k
        """;

    public const string RoutesNow = """
        SELECT peer_id, rib, afi, safi, rd, prefix, path_id, evpn_route_type, esi, ethernet_tag, mac, evpn_ip, raw_nlri, NOT is_withdrawn AS live
        FROM bmpmon.routes
        """;

    /// <summary>Rows of both queries as comparable strings.</summary>
    public static List<string> Rows(string connectionString, string sql) =>
        Query(connectionString, sql).Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "∅",
            byte[] b => Convert.ToHexString(b),
            _ => Convert.ToString(v, CultureInfo.InvariantCulture),
        }))).Order(StringComparer.Ordinal).ToList();
}
