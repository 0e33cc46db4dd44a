using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Bmpmond.Logging;
using Bmpmond.Pipeline;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Network;

/// <summary>The open router sessions: admits new ones up to the session limit, and lets the daemon stop and close them all.</summary>
internal sealed class RouterRegistry(IDaemonOutput output, OutputPipeline pipeline, int maxSessions, uint maxMessageBytes, ILogger logger)
{
    private readonly ConcurrentDictionary<RouterSession, byte> _sessions = new();
    private readonly object _admission = new();
    private int _count;
    private bool _closing;

    public int Count => Volatile.Read(ref _count);

    public ICollection<RouterSession> Sessions => _sessions.Keys;

    /// <summary>Starts a session for an accepted socket; false when the limit is reached or the daemon is stopping.</summary>
    public bool TryAdd(Socket socket, IPEndPoint remote)
    {
        if (Volatile.Read(ref _closing) || Interlocked.Increment(ref _count) > maxSessions)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        // Long-lived sessions that may idle for hours between updates: keepalive finds dead routers.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 60);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 6);

        var session = new RouterSession(socket, remote, output, pipeline, maxMessageBytes, logger, Remove);
        lock (_admission)
        {
            // Shutdown may have begun since the check above: a session it cannot see must not start.
            if (_closing)
            {
                Interlocked.Decrement(ref _count);
                return false;
            }

            _sessions[session] = 0;
        }

        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        Log.RouterConnected(logger, address.ToString(), remote.Port);
        session.StartReceiving();
        return true;
    }

    /// <summary>Shutdown, first step: no session posts another receive.</summary>
    public void StopReading()
    {
        lock (_admission)
        {
            _closing = true;
        }

        foreach (var session in _sessions.Keys)
        {
            session.StopReading();
        }
    }

    /// <summary>
    /// Shutdown, last step: FIN to every router at once, then up to <paramref name="linger"/> in all
    /// for them to close their side (see <see cref="RouterSession.CloseGracefullyAsync"/>); sessions
    /// still open then are closed.
    /// </summary>
    public void CloseAll(TimeSpan linger)
    {
        using var deadline = new CancellationTokenSource(linger);
        var closing = new List<Task>(_sessions.Count);
        foreach (var session in _sessions.Keys)
        {
            closing.Add(session.CloseGracefullyAsync(deadline.Token));
        }

        Task.WaitAll(closing);
    }

    private void Remove(RouterSession session)
    {
        if (_sessions.TryRemove(session, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
