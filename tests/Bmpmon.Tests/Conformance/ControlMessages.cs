using Bmpmon.Core.Capture;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Tests.Conformance;

/// <summary>A TLV as decoded: type and raw value.</summary>
internal sealed record TlvRecord(ushort Type, byte[] Value)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Value);
}

/// <summary>The per-peer header as decoded (RFC 7854 s4.2).</summary>
internal sealed record PeerRecord(BmpPeerType Type, PeerFlags Flags, ulong Distinguisher, IpAddr Address, uint As, uint BgpId, uint Seconds, uint Microseconds, BmpRib Rib, bool Filtered)
{
    public static PeerRecord Of(in PerPeerHeader p) =>
        new(p.PeerType, p.Flags, p.Distinguisher, p.PeerAddress, p.PeerAs, p.PeerBgpId, p.TimestampSeconds, p.TimestampMicroseconds, p.Rib, p.IsFiltered);

    /// <summary>The BGP ID dotted.</summary>
    public string BgpIdText => IpAddr.FromV4(BgpId).ToString();

    /// <summary>The distinguisher as "type:administrator:assigned" (pmacct's form).</summary>
    public string DistinguisherText => $"{(ushort)(Distinguisher >> 48)}:{new RouteDistinguisher(Distinguisher)}";
}

/// <summary>One capability in the OPEN, with the index of the Optional Parameter that carried it.</summary>
internal sealed record CapabilityRecord(int Parameter, byte Code, byte[] Value);

/// <summary>A BGP OPEN as decoded.</summary>
internal sealed record OpenRecord(byte Version, ushort MyAs, ushort HoldTime, uint BgpId, uint FourOctetAs, IReadOnlyList<CapabilityRecord> Capabilities)
{
    public static OpenRecord Of(in BgpOpenMessage open)
    {
        // The Optional Parameters' boundaries, so a test can tell how a router grouped its capabilities.
        var bounds = new List<int>();
        var parameters = open.OptionalParameters;
        var header = open.HasExtendedParameters ? 3 : 2;
        for (var at = 0; at + header <= parameters.Length;)
        {
            var length = open.HasExtendedParameters ? (parameters[at + 1] << 8) | parameters[at + 2] : parameters[at + 1];
            at += header + length;
            bounds.Add(at);
        }

        // Capability offsets are absolute; the first one sits right after the first parameter's header.
        var reader = open.GetCapabilities();
        var capabilities = new List<CapabilityRecord>();
        var parametersStart = -1;
        while (reader.TryRead(out var capability, out _))
        {
            if (parametersStart < 0)
            {
                parametersStart = capability.Offset - header;
            }

            var relative = capability.Offset - parametersStart;
            capabilities.Add(new CapabilityRecord(bounds.FindIndex(b => relative < b), (byte)capability.Code, capability.Value.ToArray()));
        }

        return new OpenRecord(open.Version, open.MyAs, open.HoldTime, open.BgpId, open.FourOctetAs, capabilities);
    }

    public string BgpIdText => IpAddr.FromV4(BgpId).ToString();
}

/// <summary>A Peer Up Notification as decoded (RFC 7854 s4.10).</summary>
internal sealed record PeerUpRecord(string Router, PeerRecord Peer, IpAddr LocalAddress, ushort LocalPort, ushort RemotePort, OpenRecord Sent, OpenRecord Received, IReadOnlyList<TlvRecord> Information, IReadOnlyList<AfiSafi> AddPathAdjRibIn, IReadOnlyList<AfiSafi> AddPathAdjRibOut);

/// <summary>A Peer Down Notification as decoded (RFC 7854 s4.9).</summary>
internal sealed record PeerDownRecord(string Router, PeerRecord Peer, byte Reason, byte? NotificationCode, byte? NotificationSubcode, ushort? FsmEventCode, byte[] Data, IReadOnlyList<TlvRecord> Tlvs);

/// <summary>One statistics counter as decoded (RFC 7854 s4.8).</summary>
internal sealed record CounterRecord(ushort Type, StatisticsValueKind Kind, ulong Value, AfiSafi Family, byte[] Raw);

/// <summary>A Statistics Report as decoded.</summary>
internal sealed record StatisticsRecord(string Router, PeerRecord Peer, IReadOnlyList<CounterRecord> Counters);

/// <summary>An Initiation message as decoded (RFC 7854 s4.3).</summary>
internal sealed record InitiationRecord(string Router, IReadOnlyList<TlvRecord> Tlvs);

/// <summary>The Initiation, Peer Up, Peer Down and Statistics messages of one TCP stream, decoded by the real stream decoder.</summary>
internal sealed class StreamControlMessages
{
    public required int Index { get; init; }

    public required string Router { get; init; }

    public List<InitiationRecord> Initiations { get; } = [];

    public List<PeerUpRecord> PeerUps { get; } = [];

    public List<PeerDownRecord> PeerDowns { get; } = [];

    public List<StatisticsRecord> Statistics { get; } = [];
}

/// <summary>
/// Decodes a capture with <see cref="BmpStreamDecoder"/> and keeps its control messages (everything
/// but routes) as plain records, per TCP stream, for the cross-checks against the oracles.
/// </summary>
internal static class ControlMessages
{
    private static readonly Dictionary<string, IReadOnlyList<StreamControlMessages>> Cache = [];

    /// <summary>The streams of the capture at <paramref name="path"/>, in capture order.</summary>
    public static IReadOnlyList<StreamControlMessages> Of(string path)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(path, out var cached))
            {
                return cached;
            }

            var streams = new List<StreamControlMessages>();
            foreach (var stream in CaptureReader.Read(File.ReadAllBytes(path)).Streams)
            {
                var source = stream.Source;
                var colon = source.LastIndexOf(':');
                var router = colon > 0 ? source[..colon] : source;
                var sink = new Sink(new StreamControlMessages { Index = stream.TcpStream, Router = router.Trim('[', ']') });
                using var decoder = new BmpStreamDecoder();
                decoder.Feed(stream.Payload, ref sink);
                streams.Add(sink.Messages);
            }

            Cache[path] = streams;
            return streams;
        }
    }

    private static List<TlvRecord> Tlvs(BmpTlvReader reader)
    {
        var tlvs = new List<TlvRecord>();
        while (reader.TryRead(out var tlv, out _))
        {
            tlvs.Add(new TlvRecord(tlv.Type, tlv.Value.ToArray()));
        }

        return tlvs;
    }

    private sealed class Sink(StreamControlMessages messages) : IBmpSink
    {
        public StreamControlMessages Messages { get; } = messages;

        public void OnInitiation(in BmpMessage message, in InitiationMessage initiation) =>
            Messages.Initiations.Add(new InitiationRecord(Messages.Router, Tlvs(initiation.GetTlvs())));

        public void OnPeerUp(in BmpMessage message, in PeerUpNotification peerUp, PeerState peer)
        {
            var capabilities = PeerCapabilities.FromOpens(peerUp.SentOpen, peerUp.ReceivedOpen, peerUp.Peer.IsLocRib);
            Messages.PeerUps.Add(new PeerUpRecord(
                Messages.Router,
                PeerRecord.Of(peerUp.Peer),
                peerUp.LocalAddress,
                peerUp.LocalPort,
                peerUp.RemotePort,
                OpenRecord.Of(peerUp.SentOpen),
                OpenRecord.Of(peerUp.ReceivedOpen),
                Tlvs(peerUp.GetInformationTlvs()),
                [.. capabilities.AddPathAdjRibIn],
                [.. capabilities.AddPathAdjRibOut]));
        }

        public void OnPeerDown(in BmpMessage message, in PeerDownNotification peerDown, PeerState peer) =>
            Messages.PeerDowns.Add(new PeerDownRecord(
                Messages.Router,
                PeerRecord.Of(peerDown.Peer),
                (byte)peerDown.Reason,
                peerDown.HasNotification ? peerDown.Notification.ErrorCode : null,
                peerDown.HasNotification ? peerDown.Notification.ErrorSubcode : null,
                peerDown.HasFsmEventCode ? peerDown.FsmEventCode : null,
                peerDown.Data.ToArray(),
                Tlvs(peerDown.GetTlvs())));

        public void OnStatisticsReport(in BmpMessage message, in StatisticsReport report)
        {
            var counters = new List<CounterRecord>();
            var reader = report.GetTlvs();
            while (reader.TryRead(out var tlv, out _))
            {
                counters.Add(new CounterRecord((ushort)tlv.Type, tlv.Kind, tlv.Value, tlv.Family, tlv.RawValue.ToArray()));
            }

            Messages.Statistics.Add(new StatisticsRecord(Messages.Router, PeerRecord.Of(report.Peer), counters));
        }

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
    }
}
