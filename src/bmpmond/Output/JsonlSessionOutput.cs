using System.Text.Json;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Bmpmond.Pipeline;

namespace Bmpmond.Output;

/// <summary>
/// Encodes one router's routes as <c>bmpmond decode --routes</c> writes them, one JSON object per
/// line, plus one line per router or peer event (Initiation, Termination, Peer Up, Peer Down) with
/// an <c>"event"</c> field, into pooled buffers handed to the writer thread.
/// </summary>
internal sealed class JsonlSessionOutput : ISessionOutput
{
    private readonly string _router;
    private readonly PooledBufferWriter _buffer = new();
    private readonly Utf8JsonWriter _json;
    private long _routes;

    public JsonlSessionOutput(string router)
    {
        _router = router;
        _json = new Utf8JsonWriter(_buffer);
    }

    public void OnMessage(in BmpMessage message)
    {
    }

    public void OnInitiation(in BmpMessage message, in InitiationMessage initiation)
    {
        StartEvent("initiation");
        MessageJson.WriteInitiation(_json, initiation);
        EndLine();
    }

    public void OnTermination(in BmpMessage message, in TerminationMessage termination)
    {
        StartEvent("termination");
        MessageJson.WriteTermination(_json, termination);
        EndLine();
    }

    public void OnPeerUp(in BmpMessage message, in PeerUpNotification peerUp, PeerState peer)
    {
        StartEvent("peer_up");
        MessageJson.WritePeerUp(_json, peerUp, peer);
        EndLine();
    }

    public void OnPeerDown(in BmpMessage message, in PeerDownNotification peerDown, PeerState peer)
    {
        StartEvent("peer_down");
        MessageJson.WritePeerDown(_json, peerDown);
        EndLine();
    }

    public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
    {
    }

    public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
    {
        RouteJson.Write(_json, _router, peer, attributes, nlri, info);
        EndLine();
        _routes++;
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

    public OutputBatch? TakeBatch()
    {
        var batch = _buffer.Take(_routes);
        _routes = 0;
        return batch;
    }

    public void Close()
    {
        _json.Dispose();
        _buffer.Release();
    }

    private void StartEvent(string name)
    {
        _json.WriteStartObject();
        _json.WriteString("router", _router);
        _json.WriteString("event", name);
    }

    private void EndLine()
    {
        if (_json.CurrentDepth > 0)
        {
            _json.WriteEndObject();
        }

        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        _json.Reset(_buffer);
    }
}
