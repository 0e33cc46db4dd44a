using System.Text;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Bmpmond.Output;

namespace Bmpmon.Tests.Decoding;

/// <summary>
/// A sink for malformed-input trials on a stream: the messages before <see cref="Gate"/> (the session
/// context) are decoded but not written; the one at <see cref="Watched"/> (the damaged one) is watched
/// for its error and for whether it changed the session's peer state; from <see cref="Gate"/> on, every
/// message is written as <c>bmpmond decode</c> writes it (one JSON line each), with stream offsets
/// counted from the gate (<see cref="Output"/>), so the output can be compared with a decode of the same messages elsewhere.
/// One instance per thread, reused from trial to trial (<see cref="Reset"/>).
/// </summary>
internal sealed class TrialSink : IBmpSink, IDisposable
{
    private readonly MemoryStream _buffer = new();
    private readonly JsonLineWriter _lines;
    private readonly MessageJsonSink _json;

    public TrialSink()
    {
        _lines = new JsonLineWriter(_buffer);
        _json = new MessageJsonSink(_lines, new DecodeSummary(), TextWriter.Null) { Router = "r" };
    }

    /// <summary>Stream offset from which messages are written.</summary>
    public long Gate { get; private set; }

    /// <summary>Stream offset of the watched (damaged) message.</summary>
    public long Watched { get; private set; }

    /// <summary>Stream offsets of the messages delivered at or after the gate.</summary>
    public List<long> Delivered { get; } = [];

    /// <summary>The first error reported for the watched message, if any.</summary>
    public DecodeError? WatchedError { get; private set; }

    /// <summary>True when the watched message was a Peer Up or Peer Down that changed the session's peer state.</summary>
    public bool WatchedChangedState { get; private set; }

    /// <summary>Messages delivered before the watched one (the context).</summary>
    public int ContextMessages { get; private set; }

    /// <summary>Starts a new trial.</summary>
    public void Reset(long watched, long gate)
    {
        (Watched, Gate) = (watched, gate);
        Delivered.Clear();
        WatchedError = null;
        WatchedChangedState = false;
        ContextMessages = 0;
        _lines.Flush();
        _buffer.SetLength(0);
    }

    /// <summary>Decodes <paramref name="stream"/> through a framer and a session decoder, fed in the given chunk sizes; returns how the stream ended.</summary>
    public FramingError? Run(ReadOnlySpan<byte> stream, ReadOnlySpan<int> cuts = default)
    {
        using var decoder = new BmpStreamDecoder();
        var sink = this;
        var at = 0;
        foreach (var cut in cuts)
        {
            if (cut > at && cut < stream.Length)
            {
                decoder.Feed(stream[at..cut], ref sink);
                at = cut;
            }
        }

        decoder.Feed(stream[at..], ref sink);
        return decoder.Complete(out var error) ? null : error;
    }

    /// <summary>The JSON lines written since <see cref="Reset"/>.</summary>
    public string Output()
    {
        _lines.Flush();
        return Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);
    }

    /// <summary>Whether the JSON lines written since <see cref="Reset"/> are <paramref name="expected"/> (UTF-8), without making a string.</summary>
    public bool OutputIs(ReadOnlySpan<byte> expected)
    {
        _lines.Flush();
        return _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length).SequenceEqual(expected);
    }

    public void Dispose() => _lines.Dispose();

    public void OnMessage(in BmpMessage message)
    {
        if (message.StreamOffset < Watched)
        {
            ContextMessages++;
        }

        if (Written(message))
        {
            Delivered.Add(message.StreamOffset);

            // The message's offset is written only here: count it from the gate.
            var header = message.Header;
            var rebased = new BmpMessage(header, message.Bytes, message.StreamOffset - Gate);
            _json.OnMessage(rebased);
        }
    }

    public void OnInitiation(in BmpMessage message, in InitiationMessage initiation)
    {
        if (Written(message))
        {
            _json.OnInitiation(message, initiation);
        }
    }

    public void OnTermination(in BmpMessage message, in TerminationMessage termination)
    {
        if (Written(message))
        {
            _json.OnTermination(message, termination);
        }
    }

    public void OnPeerUp(in BmpMessage message, in PeerUpNotification peerUp, PeerState peer)
    {
        WatchedChangedState |= message.StreamOffset == Watched;
        if (Written(message))
        {
            _json.OnPeerUp(message, peerUp, peer);
        }
    }

    public void OnPeerDown(in BmpMessage message, in PeerDownNotification peerDown, PeerState peer)
    {
        WatchedChangedState |= message.StreamOffset == Watched;
        if (Written(message))
        {
            _json.OnPeerDown(message, peerDown, peer);
        }
    }

    public void OnStatisticsReport(in BmpMessage message, in StatisticsReport report)
    {
        if (Written(message))
        {
            _json.OnStatisticsReport(message, report);
        }
    }

    public void OnRouteMirroring(in BmpMessage message, in RouteMirroringMessage mirroring)
    {
        if (Written(message))
        {
            _json.OnRouteMirroring(message, mirroring);
        }
    }

    public void OnRouteMonitoring(in BmpMessage message, in RouteMonitoringMessage routeMonitoring, in PathAttributes attributes)
    {
        if (Written(message))
        {
            _json.OnRouteMonitoring(message, routeMonitoring, attributes);
        }
    }

    public void OnRoute(in BmpMessage message, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
    {
        if (Written(message))
        {
            _json.OnRoute(message, peer, attributes, nlri, info);
        }
    }

    public void OnEndOfRib(in BmpMessage message, in PerPeerHeader peer, AfiSafi family)
    {
        if (Written(message))
        {
            _json.OnEndOfRib(message, peer, family);
        }
    }

    public void OnAddPathFallback(in BmpMessage message, in PerPeerHeader peer, AfiSafi family, bool decodedWithPathIds)
    {
        if (Written(message))
        {
            _json.OnAddPathFallback(message, peer, family, decodedWithPathIds);
        }
    }

    public void OnError(in BmpMessage message, in DecodeError error)
    {
        if (message.StreamOffset == Watched && WatchedError is null)
        {
            WatchedError = error;
        }

        if (Written(message))
        {
            _json.OnError(message, error);
        }
    }

    public void OnMessageEnd(in BmpMessage message)
    {
        if (Written(message))
        {
            _json.OnMessageEnd(message);
        }
    }

    private bool Written(in BmpMessage message) => message.StreamOffset >= Gate;

}
