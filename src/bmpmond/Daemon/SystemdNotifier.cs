using System.Net.Sockets;
using System.Text;

namespace Bmpmond.Daemon;

/// <summary>
/// sd_notify(3) without libsystemd: a datagram to the Unix socket named by NOTIFY_SOCKET (a path,
/// or "@name" for the abstract namespace). Does nothing when the variable is unset.
/// </summary>
internal sealed class SystemdNotifier(string? socketPath)
{
    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public bool IsEnabled => !string.IsNullOrEmpty(socketPath);

    /// <summary>Tells systemd the service is up (Type=notify): sent after the BMP port is bound.</summary>
    public void Ready() => Send("READY=1\nSTATUS=accepting BMP sessions");

    /// <summary>Tells systemd the service is stopping.</summary>
    public void Stopping() => Send("STOPPING=1");

    private void Send(string state)
    {
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }

        try
        {
            var path = socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath;
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(state));
        }
        catch (SocketException)
        {
            // systemd is gone or the socket is not ours: the service still runs.
        }
    }
}
