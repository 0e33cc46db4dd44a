using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Bmpmon.Tests.Replay;

/// <summary>
/// A stand-in collector on 127.0.0.1 (ephemeral port) that reads each accepted connection to its end,
/// records the bytes, and then closes: what a real collector does, and what replay waits for.
/// </summary>
internal sealed class RecordingCollector : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<byte[]> _received = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _toReset;

    /// <param name="resetConnections">The first connections accepted are reset at once (SO_LINGER 0): a collector refusing or crashing.</param>
    public RecordingCollector(int resetConnections = 0)
    {
        _toReset = resetConnections;
        _listener.Start(1024);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Target => $"127.0.0.1:{Port}";

    /// <summary>What each finished connection sent, in order of completion.</summary>
    public IReadOnlyList<byte[]> Received => [.. _received];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([_accepting, .. _sessions]).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // InvalidOperationException: DisposeAsync stopped the listener between two accepts.
                return;
            }

            if (Interlocked.Decrement(ref _toReset) >= 0)
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Dispose();
                continue;
            }

            _sessions.Add(ReadToEndAsync(socket));
        }
    }

    private async Task ReadToEndAsync(Socket socket)
    {
        using (socket)
        {
            var bytes = new MemoryStream();
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                {
                    bytes.Write(buffer, 0, n);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                return;
            }

            // Recorded before the close, so a replay that has seen the close finds its bytes here.
            _received.Enqueue(bytes.ToArray());
        }
    }
}
