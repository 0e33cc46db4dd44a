using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Bench;

/// <summary>
/// The cheapest sink that still touches what a storage sink would read per route (prefix, path ID,
/// next hop, AS path length, communities), so the JIT cannot drop the decoding as dead code.
/// </summary>
public struct CountingSink : IBmpSink
{
    public long Messages;
    public long Routes;
    public long Errors;
    public ulong Checksum;

    public void OnMessage(in BmpMessage message) => Messages++;

    public readonly void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
    {
    }

    public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
    {
        Routes++;
        Checksum += (ulong)nlri.Prefix.Address.Value + nlri.Prefix.Length + nlri.PathId + (ulong)info.NextHop.Value
            + (ulong)attributes.AsPath.Length + (ulong)attributes.Communities.Length;
    }

    public readonly void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family)
    {
    }

    public readonly void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds)
    {
    }

    public void OnError(in BmpMessage message, in DecodeError error) => Errors++;

    public readonly void OnMessageEnd(in BmpMessage message)
    {
    }
}
