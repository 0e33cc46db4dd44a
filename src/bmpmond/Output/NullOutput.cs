using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Bmpmond.Pipeline;

namespace Bmpmond.Output;

/// <summary><c>BMPMOND_OUTPUT=null</c>: decode and count only, for benchmarks of the network path and decoder.</summary>
internal sealed class NullOutput : IDaemonOutput
{
    public string Name => "null";

    public bool ConsumesInSession => true;

    public ISessionOutput OpenSession(string router) => new Session();

    public void Write(OutputBatch batch)
    {
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }

    private sealed class Session : ISessionOutput
    {
        public void OnMessage(in BmpMessage message)
        {
        }

        public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
        {
        }

        public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
        {
        }

        public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family)
        {
        }

        public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds)
        {
        }

        public void OnError(in BmpMessage message, in DecodeError error)
        {
        }

        public void OnMessageEnd(in BmpMessage message)
        {
        }

        public OutputBatch? TakeBatch() => null;

        public void Close()
        {
        }
    }
}
