namespace Bmpmond.Commands;

/// <summary>The queries of <c>bmpmond status</c>; <c>{s}</c> is the schema name.</summary>
internal static class StatusSql
{
    public const string Routers = "SELECT host(address), sys_name, is_active, last_seen FROM {s}.bmp_routers ORDER BY address";

    public const string Peers = """
        SELECT host(r.address), host(p.address), p.asn, p.is_up,
               (SELECT count(*) FROM {s}.routes s WHERE s.peer_id = p.id AND NOT s.is_withdrawn), p.last_seen
        FROM {s}.bgp_peers p JOIN {s}.bmp_routers r ON r.id = p.router_id
        ORDER BY r.address, p.address NULLS FIRST, p.distinguisher
        """;

    public const string Families = """
        SELECT afi, safi, count(*) FILTER (WHERE NOT is_withdrawn), count(*) FILTER (WHERE is_withdrawn)
        FROM {s}.routes GROUP BY afi, safi ORDER BY afi, safi
        """;

    public const string Jobs = """
        SELECT name, last_run, duration_ms, result, ok, interval_s, extract(epoch FROM now() - last_run)::double precision
        FROM {s}.jobs
        """;
}
