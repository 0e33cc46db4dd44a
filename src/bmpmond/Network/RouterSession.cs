using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Bmpmon.Core.Decoding;
using Bmpmond.Daemon;
using Bmpmond.Logging;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Network;

/// <summary>
/// One router's TCP session: a SocketAsyncEventArgs receive loop into a pooled buffer, a framer and
/// session decoder fed in place, and the output batch handed to the pipeline after every read.
/// Reads are strictly sequential (one receive outstanding), so the router's messages are decoded
/// and queued in order. When the pipeline is over its memory bound the session simply does not
/// post the next receive: the kernel buffer fills and TCP flow control slows the router down.
/// </summary>
internal sealed class RouterSession : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    /// <summary>What the shutdown reads and drops per receive while it waits for the router's FIN.</summary>
    private const int DiscardBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly SocketAsyncEventArgs _receive = new();
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
    private readonly BmpStreamDecoder _decoder;
    private readonly ISessionOutput _output;
    private readonly RouterSessionSink _sink;
    private readonly OutputPipeline _pipeline;
    private readonly ILogger _logger;
    private readonly Action<RouterSession> _onClosed;
    private readonly Action _resume;
    private readonly object _processing = new();
    private int _closed;
    private volatile bool _stopReading;

    public RouterSession(Socket socket, IPEndPoint remote, IDaemonOutput output, OutputPipeline pipeline, uint maxMessageBytes, ILogger logger, Action<RouterSession> onClosed)
    {
        _socket = socket;
        Remote = remote;
        Router = Endpoint(remote);
        Stats = new RouterStats(Router, output.ConsumesInSession);
        _decoder = new BmpStreamDecoder(maxMessageBytes);
        _output = output.OpenSession(Router);
        _sink = new RouterSessionSink(Router, _output, Stats, logger);
        _pipeline = pipeline;
        _logger = logger;
        _onClosed = onClosed;
        _resume = StartReceiving;
        _receive.Completed += (_, e) => OnReceived();
    }

    /// <summary>The router's address and port, as written in logs and output.</summary>
    public string Router { get; }

    public IPEndPoint Remote { get; }

    public RouterStats Stats { get; }

    /// <summary>Monitored peers and their negotiated capabilities.</summary>
    public BmpSessionDecoder Decoder => _decoder.Session;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>"192.0.2.1:51234" or "[2001:db8::1]:51234"; IPv4-mapped addresses of a dual-stack socket as IPv4.</summary>
    public static string Endpoint(IPEndPoint endpoint)
    {
        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{endpoint.Port}" : $"{address}:{endpoint.Port}";
    }

    /// <summary>Begins reading; called once after the session is registered.</summary>
    public void StartReceiving()
    {
        try
        {
            while (!_stopReading)
            {
                _receive.SetBuffer(_buffer, 0, ReceiveBufferSize);
                if (_socket.ReceiveAsync(_receive))
                {
                    return;
                }

                if (!Process())
                {
                    return;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed under us by shutdown.
        }
        catch (Exception e)
        {
            Log.SessionFailed(_logger, e, Router);
            Close("session failed");
        }
    }

    /// <summary>
    /// Shutdown: no more reads. Waits for a read being decoded to be queued, so that everything the
    /// session decoded reaches the output; a receive that completes later is not decoded.
    /// </summary>
    public void StopReading()
    {
        _stopReading = true;
        lock (_processing)
        {
        }
    }

    /// <summary>
    /// Shutdown, after the drain: sends FIN, then reads and throws away whatever the router still
    /// sends until its own FIN (end of stream) or until <paramref name="deadline"/> is cancelled, then
    /// closes. Completes without throwing.
    /// </summary>
    /// <remarks>
    /// Why discard rather than only wait: the session stopped reading before the drain, so a router
    /// in the middle of a burst has unread bytes in the receive queue, and Linux answers close() on a
    /// socket with unread data with RST instead of finishing the FIN handshake. Those bytes were never
    /// decoded, so dropping them loses nothing already read; the router resends its table when it
    /// reconnects. Waiting for readability alone (poll) is no wait for the router's FIN either: it
    /// returns on the first byte that arrives. A receive still posted by the stopped read loop may
    /// take some of the bytes (or the end of stream) first; it does not decode them either, and the
    /// end of stream is reported again to every later receive.
    /// </remarks>
    public async Task CloseGracefullyAsync(CancellationToken deadline)
    {
        var reason = "collector shutting down";
        var discard = ArrayPool<byte>.Shared.Rent(DiscardBufferSize);
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            while (await _socket.ReceiveAsync(discard, SocketFlags.None, deadline).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            reason = "collector shutting down; the router did not close in time";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(discard);
        }

        Close(reason);
    }

    public void Dispose() => Close("disposed");

    /// <summary>Starts a new interval of the malformed-message log budget.</summary>
    public void ResetErrorBudget() => _sink.ResetErrorBudget();

    private void OnReceived()
    {
        try
        {
            if (Process())
            {
                StartReceiving();
            }
        }
        catch (Exception e)
        {
            Log.SessionFailed(_logger, e, Router);
            Close("session failed");
        }
    }

    /// <summary>Decodes what one receive brought; false when the loop must not post another receive now.</summary>
    private bool Process()
    {
        lock (_processing)
        {
            return !_stopReading && ProcessReceived();
        }
    }

    private bool ProcessReceived()
    {
        if (_receive.SocketError != SocketError.Success || _receive.BytesTransferred == 0)
        {
            if (_decoder.Framer.PendingBytes > 0)
            {
                var at = _decoder.Framer.StreamOffset;
                Log.FramingLost(_logger, Router, "truncated", "BMP message at end of stream", at + _decoder.Framer.PendingBytes, at, Hex.FirstBytes(_decoder.Framer.Unframed));
                if (!_decoder.Complete(out var truncated) && truncated is { } cut)
                {
                    _output.OnFramingLost(cut, _decoder.Framer.Unframed);
                    if (_output.TakeBatch() is { } last)
                    {
                        _pipeline.Enqueue(last, Stats.Queue);
                    }
                }
            }

            Close(_receive.SocketError == SocketError.Success ? "router closed the connection" : $"socket error {_receive.SocketError}", fromReceiveLoop: true);
            return false;
        }

        var chunk = _buffer.AsSpan(0, _receive.BytesTransferred);
        bool framed;
        var sink = _sink;
        lock (Stats.Lock)
        {
            Stats.Bytes += chunk.Length;
            Stats.LastMessageAt = DateTime.UtcNow;
            framed = _decoder.Feed(chunk, ref sink);
        }

        if (!framed)
        {
            // Before the batch is taken: the bytes that could not be framed go out with it.
            _output.OnFramingLost(_decoder.Framer.Error!.Value, _decoder.Framer.Unframed);
        }

        var keepReading = true;
        if (_output.TakeBatch() is { } batch)
        {
            keepReading = _pipeline.Enqueue(batch, Stats.Queue);
        }

        if (!framed)
        {
            var error = _decoder.Framer.Error!.Value;
            Log.FramingLost(_logger, Router, error.Error.Reason, error.Error.Where, error.StreamOffset + error.Error.Offset, error.StreamOffset, Hex.FirstBytes(_decoder.Framer.Unframed));
            Close("framing lost", fromReceiveLoop: true);
            return false;
        }

        return keepReading || !_pipeline.TryPause(_resume);
    }

    /// <summary>
    /// Closes the socket once. Only the receive loop itself, when no receive is outstanding, may
    /// give the pooled buffers back; a session closed from outside (shutdown) keeps them.
    /// </summary>
    private void Close(string reason, bool fromReceiveLoop = false)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Close();
        }
        catch (SocketException)
        {
        }

        // The last route_stats line first: a session shorter than the stats interval would have none.
        var last = RouteStatsReporter.Write(Stats, _pipeline, _logger, final: true);

        var address = Remote.Address.IsIPv4MappedToIPv6 ? Remote.Address.MapToIPv4() : Remote.Address;
        Log.RouterDisconnected(_logger, address.ToString(), Remote.Port, reason, last.Messages, last.Bytes, last.ConnectedAt, last.LastMessageAt, last.Routes, last.Processed);
        _onClosed(this);
        if (fromReceiveLoop)
        {
            _receive.Dispose();
            _decoder.Dispose();
            _output.Close();
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
