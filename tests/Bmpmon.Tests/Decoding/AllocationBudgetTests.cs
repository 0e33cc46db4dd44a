using Bmpmon.Bench;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Decoding;

/// <summary>
/// The decoding hot path allocates nothing per route: decoding a synthetic table (the benchmark's
/// input) costs a fixed amount per stream, whatever the number of routes. This pins the budget in
/// CI, so a change that starts allocating per route fails here, long before a benchmark is run.
/// </summary>
public sealed class AllocationBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public void Decoding_a_table_allocates_nothing_per_route()
    {
        var table = SyntheticTable.Build(40_000, 10_000);
        for (var warmup = 0; warmup < 5; warmup++)
        {
            Decode(table);
        }

        var allocated = long.MaxValue;
        var routes = 0L;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            routes = Decode(table);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        output.WriteLine($"{routes} routes decoded with {allocated} bytes allocated in all ({allocated / (double)routes:F4} B/route)");
        Assert.Equal(50_000, routes);

        // The fixed part: the framer's pooled buffer rent, the session's peer table and one Peer Up.
        Assert.True(allocated < 4096, $"decoding 50,000 routes allocated {allocated} bytes: something allocates per route");
    }

    private static long Decode(byte[] table)
    {
        using var decoder = new BmpStreamDecoder();
        var sink = new RouteCounter();
        decoder.Feed(table, ref sink);
        return sink.Routes;
    }

    private struct RouteCounter : IBmpSink
    {
        public long Routes;

        public readonly void OnMessage(in BmpMessage message)
        {
        }

        public readonly void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
        {
        }

        public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info) => Routes++;

        public readonly void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family)
        {
        }

        public readonly void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds)
        {
        }

        public readonly void OnError(in BmpMessage message, in DecodeError error) => Assert.Fail(error.ToString());

        public readonly void OnMessageEnd(in BmpMessage message)
        {
        }
    }
}
