using System.Net;
using System.Net.Sockets;
using Bmpmond.Logging;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Network;

/// <summary>
/// Accepts router connections with one reused SocketAsyncEventArgs (looping while accepts complete
/// synchronously), refuses sources outside the allow-list or beyond the session limit, and hands
/// each accepted socket to <see cref="RouterRegistry"/>.
/// </summary>
internal sealed class BmpListener : IDisposable
{
    private static readonly TimeSpan ResourceBackoff = TimeSpan.FromMilliseconds(200);

    private readonly Socket _socket;
    private readonly SocketAsyncEventArgs _accept = new();
    private readonly Func<IPAddress, bool> _isAllowed;
    private readonly RouterRegistry _routers;
    private readonly ILogger _logger;
    private volatile bool _stopped;

    private BmpListener(Socket socket, Func<IPAddress, bool> isAllowed, RouterRegistry routers, ILogger logger)
    {
        _socket = socket;
        _isAllowed = isAllowed;
        _routers = routers;
        _logger = logger;
        _accept.Completed += (_, _) => OnAccepted();
    }

    /// <summary>The bound endpoint (useful when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>
    /// Binds and listens; <c>[::]</c> is dual stack. Throws <see cref="SocketException"/> when the
    /// port cannot be bound. From here the kernel completes routers' connections into the backlog,
    /// so a router that connects while the output is still opening waits there, losing nothing.
    /// </summary>
    public static Socket Listen(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(1024);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Binds and listens (<see cref="Listen"/>); accepting starts with <see cref="Start"/>.</summary>
    public static BmpListener Bind(IPEndPoint endpoint, Func<IPAddress, bool> isAllowed, RouterRegistry routers, ILogger logger) =>
        Over(Listen(endpoint), isAllowed, routers, logger);

    /// <summary>Takes over a socket from <see cref="Listen"/>; it is disposed with the listener.</summary>
    public static BmpListener Over(Socket listening, Func<IPAddress, bool> isAllowed, RouterRegistry routers, ILogger logger) =>
        new(listening, isAllowed, routers, logger);

    public void Start()
    {
        Log.ListenerStarted(_logger, RouterSession.Endpoint(LocalEndPoint));
        AcceptLoop();
    }

    /// <summary>Stops accepting at once (shutdown); sessions already open are not touched.</summary>
    public void Dispose()
    {
        _stopped = true;
        _socket.Dispose();
        _accept.Dispose();
    }

    private void AcceptLoop()
    {
        try
        {
            do
            {
                if (_stopped)
                {
                    return;
                }

                _accept.AcceptSocket = null;
            }
            while (!_socket.AcceptAsync(_accept) && Handle());
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnAccepted()
    {
        if (Handle())
        {
            AcceptLoop();
        }
    }

    /// <summary>Handles one completed accept; false when the loop must stop (listener closed) or resumes later.</summary>
    private bool Handle()
    {
        switch (_accept.SocketError)
        {
            case SocketError.Success:
                Admit(_accept.AcceptSocket!);
                return !_stopped;
            case SocketError.OperationAborted or SocketError.Interrupted when _stopped:
                return false;
            case SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable:
                // Out of descriptors or buffers: back off on a timer rather than spin.
                Log.RouterRefused(_logger, "?", $"accept failed: {_accept.SocketError}; retrying in {ResourceBackoff.TotalMilliseconds} ms");
                _ = Task.Delay(ResourceBackoff).ContinueWith(_ => AcceptLoop(), TaskScheduler.Default);
                return false;
            default:
                // Transient (a connection reset before it was accepted): accept the next one.
                return !_stopped;
        }
    }

    private void Admit(Socket socket)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        if (!_isAllowed(address))
        {
            Log.RouterRefused(_logger, address.ToString(), "not in BMPMOND_ALLOWED_ROUTERS");
            socket.Close();
            return;
        }

        if (!_routers.TryAdd(socket, remote))
        {
            Log.RouterRefused(_logger, address.ToString(), "BMPMOND_MAX_SESSIONS reached");
            socket.Close();
        }
    }
}
