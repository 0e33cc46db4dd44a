using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bmpmond.Replay;

/// <summary>
/// One TCP connection to the collector, acting as one router: connect, send the stream
/// <see cref="ReplayOptions.Loop"/> times (as fast as possible in large writes, or paced at message
/// boundaries), half-close with a FIN, then wait for the collector to close its side, which it does
/// only after reading everything. A failure ends this connection only, with a reason.
/// </summary>
internal sealed class ReplayConnection
{
    private readonly string _name;
    private readonly ReplayStream _stream;
    private readonly ReplayOptions _options;
    private readonly SendBlock _block;
    private readonly double? _rate;
    private long _bytes;

    /// <param name="name">For error messages: "connection N (stream, copy K)".</param>
    /// <param name="stream">The stream to send.</param>
    /// <param name="options">Target, loop count and timeouts.</param>
    /// <param name="block">The unpaced write unit for the stream (shared).</param>
    /// <param name="rate">This connection's share of the message rate; null for unpaced.</param>
    public ReplayConnection(string name, ReplayStream stream, ReplayOptions options, SendBlock block, double? rate)
    {
        _name = name;
        _stream = stream;
        _options = options;
        _block = block;
        _rate = rate;
    }

    /// <summary>Runs the connection to its end; never throws for network failures.</summary>
    /// <param name="connectGate">Bounds the connects in flight, so that thousands of connections do not overflow the collector's accept backlog at once.</param>
    /// <param name="cancellationToken">Stops the connection.</param>
    public async Task<ConnectionResult> RunAsync(SemaphoreSlim connectGate, CancellationToken cancellationToken)
    {
        var phase = "connect";
        try
        {
            Socket socket;
            await connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                connectGate.Release();
            }

            using (socket)
            {
                phase = "send";
                if (_rate is { } rate && _stream.MessageCount > 0)
                {
                    await SendPacedAsync(socket, rate, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await SendUnpacedAsync(socket, cancellationToken).ConfigureAwait(false);
                }

                phase = "close";
                await CloseAsync(socket, cancellationToken).ConfigureAwait(false);
            }

            return Result(null);
        }
        catch (SocketException e)
        {
            return Result($"{_name}: {phase}: {Describe(e)}");
        }
        catch (TimeoutException e)
        {
            return Result($"{_name}: {phase}: {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Result($"{_name}: {phase}: cancelled");
        }
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset by the collector",
        SocketError.Shutdown or SocketError.ConnectionAborted => "connection closed by the collector",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
        var other => $"{other}: {e.Message}",
    };

    private ConnectionResult Result(string? error) => new(_bytes, _stream.MessagesWithin(_bytes), error);

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var address in _options.Target.Addresses)
        {
            // Nagle stays on (NoDelay false): the tool writes in bulk, and small paced writes may coalesce.
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = false };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, _options.Target.Port), timeout.Token).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new TimeoutException($"no answer from {address} within {_options.ConnectTimeout.TotalSeconds:0.#} s");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private async Task SendUnpacedAsync(Socket socket, CancellationToken cancellationToken)
    {
        var (bytes, copies) = _block;
        var blocks = Math.DivRem(_options.Loop, copies, out var rest);
        for (var i = 0; i < blocks; i++)
        {
            await SendAllAsync(socket, bytes, cancellationToken).ConfigureAwait(false);
        }

        if (rest > 0)
        {
            await SendAllAsync(socket, bytes.AsMemory(0, rest * _stream.Payload.Length), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends message n (counting across loops from 0) no earlier than n / rate seconds after the
    /// start: the schedule is absolute, so timer lateness never accumulates. Messages that are due
    /// together go out in one write.
    /// </summary>
    private async Task SendPacedAsync(Socket socket, double rate, CancellationToken cancellationToken)
    {
        var perLoop = _stream.MessageCount;
        var total = (long)_options.Loop * perLoop;
        var start = Stopwatch.GetTimestamp();
        long next = 0;
        while (next < total)
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var dueByNow = Math.Floor(elapsed * rate) + 1;
            var due = dueByNow >= total ? total : (long)dueByNow;
            if (due <= next)
            {
                var wait = TimeSpan.FromSeconds((next / rate) - elapsed);
                await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
                continue;
            }

            while (next < due)
            {
                var first = (int)(next % perLoop);
                var last = (int)Math.Min(perLoop - 1, first + (due - next) - 1);
                var from = _stream.MessageStart(first);
                await SendAllAsync(socket, _stream.Payload.AsMemory(from, _stream.MessageEnd(last) - from), cancellationToken).ConfigureAwait(false);
                next += last - first + 1;
            }
        }
    }

    private async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var chunk = bytes.Length > SendBlock.ChunkSize ? bytes[..SendBlock.ChunkSize] : bytes;
            var sent = await socket.SendAsync(chunk, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            _bytes += sent;
            bytes = bytes[sent..];
        }
    }

    /// <summary>
    /// Half-closes and waits for the collector's FIN. A collector closes after reading to the end, so
    /// this is how the tool knows the data was read, not just queued in a kernel buffer. A reset here
    /// means the collector closed with unread data: a failure. A collector that keeps the connection
    /// open past the timeout is not one: everything was sent and acknowledged as far as TCP tells.
    /// </summary>
    private async Task CloseAsync(Socket socket, CancellationToken cancellationToken)
    {
        socket.Shutdown(SocketShutdown.Send);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CloseTimeout);
        var sink = new byte[512];
        try
        {
            while (await socket.ReceiveAsync(sink, SocketFlags.None, timeout.Token).ConfigureAwait(false) > 0)
            {
                // A collector has nothing to say to a router; anything it sends is discarded.
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The collector did not close within the timeout: nothing more to wait for.
        }
    }
}
