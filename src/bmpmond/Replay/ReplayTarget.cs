using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bmpmond.Replay;

/// <summary>
/// The collector <c>bmpmond replay</c> connects to: <c>HOST:PORT</c> where HOST is an IPv4 literal,
/// a bracketed IPv6 literal (<c>[::1]:11019</c>) or <c>localhost</c>. No DNS: the tool feeds tests and
/// benchmarks, where a name lookup would only add a failure mode and latency.
/// </summary>
internal sealed class ReplayTarget
{
    private ReplayTarget(string text, IPAddress[] addresses, int port)
    {
        Text = text;
        Addresses = addresses;
        Port = port;
    }

    /// <summary>The address as given, for messages.</summary>
    public string Text { get; }

    /// <summary>The addresses to try, in order (localhost: IPv4 loopback, then IPv6 loopback).</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The collector's TCP port.</summary>
    public int Port { get; }

    /// <summary>Parses <c>HOST:PORT</c>; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ReplayTarget? target, out string problem)
    {
        target = null;
        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                problem = $"--to '{text}': an IPv6 address is written [ADDRESS]:PORT";
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                problem = $"--to '{text}': expected HOST:PORT";
                return false;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                problem = $"--to '{text}': an IPv6 address is written [ADDRESS]:PORT";
                return false;
            }
        }

        if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number == 0)
        {
            problem = $"--to '{text}': the port must be a number from 1 to 65535";
            return false;
        }

        if (!TryParseHost(host, text.StartsWith('['), out var addresses))
        {
            problem = $"--to '{text}': HOST must be an IPv4 address, a bracketed IPv6 address or localhost";
            return false;
        }

        target = new ReplayTarget(text, addresses, number);
        problem = string.Empty;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static bool TryParseHost(string host, bool bracketed, out IPAddress[] addresses)
    {
        addresses = [];
        if (!bracketed && string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];
            return true;
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        // IPAddress.TryParse also takes shorthand such as "10" or "10.1" for IPv4: only the dotted quad is meant here.
        var wanted = bracketed ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        if (address.AddressFamily != wanted || (!bracketed && host.Count(c => c == '.') != 3))
        {
            return false;
        }

        addresses = [address];
        return true;
    }
}
