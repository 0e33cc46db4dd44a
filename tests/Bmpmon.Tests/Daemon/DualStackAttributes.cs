using System.Net;
using System.Net.Sockets;

namespace Bmpmon.Tests.Daemon;

/// <summary>Whether this host can open a dual-stack (IPv6 with IPv4-mapped) listening socket.</summary>
internal static class DualStack
{
    public static readonly string? SkipReason = Probe() ? null : "this host cannot open a dual-stack IPv6 socket";

    private static bool Probe()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return false;
        }

        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            probe.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A fact that needs a dual-stack socket: reported as skipped, with why, on a host without one.</summary>
public sealed class DualStackFactAttribute : FactAttribute
{
    public DualStackFactAttribute() => Skip = DualStack.SkipReason;
}

/// <summary>A theory that needs a dual-stack socket: reported as skipped, with why, on a host without one.</summary>
public sealed class DualStackTheoryAttribute : TheoryAttribute
{
    public DualStackTheoryAttribute() => Skip = DualStack.SkipReason;
}
