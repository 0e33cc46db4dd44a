using System.Net;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Sessions;
using Bmpmon.Core.Storage;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Bmpmond.Pipeline;

namespace Bmpmond.Storage;

/// <summary>
/// One router session's side of the PostgreSQL output: encodes routes and events into binary
/// records (<see cref="StorageRowWriter"/>) on the session thread, with peers under session-local
/// indexes and each attribute set sent once while it stays in a bounded cache. The batches carry
/// the session's <see cref="PostgresRouterState"/>, where the writer keeps the database ids.
/// </summary>
internal sealed class PostgresSessionOutput : ISessionOutput
{
    /// <summary>2^16 ids (512 KiB) per session: a full table has ~10x fewer attribute sets than routes.</summary>
    private const int SentAttributesBits = 16;

    private readonly PooledBufferWriter _buffer = new();
    private readonly StorageRowWriter _rows;
    private readonly PostgresRouterState _state;
    private readonly Dictionary<PeerKey, ushort> _peers = [];
    private readonly AttributeSetId _ids;
    private readonly RecentIdSet _sent = new(SentAttributesBits);
    private long _arrival;
    private long _routes;

    /// <param name="router">The router's address and port.</param>
    /// <param name="attributeIdKey">The database's key for attribute set ids.</param>
    public PostgresSessionOutput(string router, AttributeIdKey attributeIdKey)
    {
        _ids = new AttributeSetId(attributeIdKey);
        _state = new PostgresRouterState(RouterAddress(router), router);
        _rows = new StorageRowWriter(_buffer);
    }

    public void OnMessage(in BmpMessage message) => _arrival = NowMicros();

    public void OnInitiation(in BmpMessage message, in InitiationMessage initiation)
    {
        var sysName = initiation.TryGetValue(InitiationTlvType.SysName, out var name) ? System.Text.Encoding.UTF8.GetString(name) : null;
        var sysDescr = initiation.TryGetValue(InitiationTlvType.SysDescr, out var descr) ? System.Text.Encoding.UTF8.GetString(descr) : null;
        _rows.WriteInitiation(_arrival, sysName, sysDescr);
    }

    public void OnTermination(in BmpMessage message, in TerminationMessage termination) => _rows.WriteTermination(_arrival);

    public void OnPeerUp(in BmpMessage message, in PeerUpNotification peerUp, PeerState peer)
    {
        var index = PeerIndex(peerUp.Peer);
        var capabilities = peer.Capabilities;
        _rows.WritePeerUp(
            index,
            StorageRowWriter.Time(peerUp.Peer, _arrival),
            _arrival,
            peerUp,
            capabilities?.FourOctetAs ?? false,
            capabilities is null ? null : Names(capabilities.Families),
            capabilities is null ? null : Names(capabilities.AddPathAdjRibIn),
            capabilities is null ? null : Names(capabilities.AddPathAdjRibOut));
    }

    public void OnPeerDown(in BmpMessage message, in PeerDownNotification peerDown, PeerState peer) =>
        _rows.WritePeerDown(PeerIndex(peerDown.Peer), StorageRowWriter.Time(peerDown.Peer, _arrival), _arrival, peerDown);

    public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes) => _ids.Reset(attributes);

    public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
    {
        var index = PeerIndex(peer);
        ulong id = 0;
        if (!info.IsWithdrawal)
        {
            id = _ids.For(info.NextHop, info.LinkLocalNextHop);
            if (!_sent.CheckAndAdd(id))
            {
                _rows.WriteAttributes(id, attributes, info.NextHop, info.LinkLocalNextHop);
            }
        }

        _rows.WriteRoute(index, StorageRowWriter.Time(peer, _arrival), _arrival, peer, nlri, info.IsWithdrawal, id);
        _routes++;
    }

    public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family) =>
        _rows.WriteEndOfRib(PeerIndex(peer), StorageRowWriter.Time(peer, _arrival), _arrival, (byte)peer.Rib, family);

    public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds)
    {
    }

    /// <summary>The whole message, common header included, goes to bmp_quarantine so it can be decoded again after a fix.</summary>
    public void OnError(in BmpMessage message, in DecodeError error) =>
        _rows.WriteQuarantine(_arrival, message.StreamOffset, error.Offset, QuarantineKind.Malformed, QuarantineKind.Reason(message.Header.Type, error), message.Bytes);

    /// <summary>The bytes the framer could not cut into messages (bounded by the message size limit) go to bmp_quarantine.</summary>
    public void OnFramingLost(in FramingError error, ReadOnlySpan<byte> unframed)
    {
        var arrival = NowMicros();
        var kind = error.Error.Code == DecodeErrorCode.Truncated ? QuarantineKind.Truncated : QuarantineKind.FramingLost;
        _rows.WriteQuarantine(arrival, error.StreamOffset, error.Error.Offset, kind, error.ToString(), unframed);
    }

    public void OnMessageEnd(in BmpMessage message)
    {
    }

    public OutputBatch? TakeBatch()
    {
        var batch = _buffer.Take(_routes, _state);
        _routes = 0;
        return batch;
    }

    public void Close() => _buffer.Release();

    /// <summary>Arrival times are microseconds since the Unix epoch, like the per-peer header's.</summary>
    private static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>The router's address from the session's "address:port" name (the port changes with each connection).</summary>
    internal static IPAddress RouterAddress(string router)
    {
        if (IPEndPoint.TryParse(router, out var endpoint))
        {
            return endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        }

        return IPAddress.TryParse(router, out var address) ? address : IPAddress.None;
    }

    private ushort PeerIndex(in PerPeerHeader header)
    {
        var key = PeerKey.Of(header);
        if (_peers.TryGetValue(key, out var index))
        {
            return index;
        }

        index = (ushort)_peers.Count;
        _peers[key] = index;
        _rows.WritePeerDefinition(index, header);
        return index;
    }

    private static string Names(IReadOnlyList<AfiSafi> families) => string.Join(',', families.Select(f => f.Name));
}

/// <summary>One router session as the database writer knows it: set on the session thread at open, ids filled in by the writer thread only.</summary>
internal sealed class PostgresRouterState(IPAddress address, string name)
{
    /// <summary>The router's address (bmp_routers.address).</summary>
    public IPAddress Address { get; } = address;

    /// <summary>The session's "address:port", as logs write it (bmp_quarantine.router).</summary>
    public string Name { get; } = name;

    /// <summary>bmp_routers.id, 0 until the writer has upserted the row.</summary>
    public int RouterId { get; set; }

    /// <summary>bgp_peers.id by session-local peer index (writer thread only).</summary>
    public List<int> PeerIds { get; } = [];
}
