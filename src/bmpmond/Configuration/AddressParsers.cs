using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bmpmond.Configuration;

/// <summary>
/// Parses the address settings strictly: <see cref="IPAddress.TryParse(string, out IPAddress)"/>
/// alone also takes <c>10.1</c>, <c>0x0a000001</c> or octal parts as IPv4, which in a listen or
/// allow-list setting is far more likely a typo than intent.
/// </summary>
internal static class AddressParsers
{
    private const string EndpointExample = "(e.g. 0.0.0.0:11019, 192.0.2.1:11019, [::]:11019)";
    private const string NetworkExample = "(e.g. 192.0.2.1, 10.0.0.0/8, 2001:db8::/32)";

    /// <summary>Parses <c>a.b.c.d:port</c> or <c>[v6]:port</c>; the port is 1..65535.</summary>
    public static bool TryParseEndpoint(string text, out IPEndPoint endpoint, out string problem)
    {
        endpoint = new IPEndPoint(IPAddress.Any, 0);
        problem = $"{ValueText.Quote(text)} is not an address and port {EndpointExample}";
        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            problem = $"{ValueText.Quote(text)} has no port {EndpointExample}";
            return false;
        }

        string host = text[..colon];
        string portText = text[(colon + 1)..];
        IPAddress? address;
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (!TryParseIPv6(host[1..^1], out address))
            {
                return false;
            }
        }
        else if (!TryParseIPv4(host, out address))
        {
            return false;
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > IPEndPoint.MaxPort)
        {
            problem = $"{ValueText.Quote(text)} has a port outside 1..65535 {EndpointExample}";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>
    /// Parses a list of addresses and CIDRs separated by commas and/or white space. An address
    /// stands for itself (/32 or /128); IPv4-mapped IPv6 entries are kept as IPv4 so they match
    /// what <see cref="BmpmondOptions.IsAllowed"/> compares.
    /// </summary>
    public static bool TryParseNetworks(string text, out IReadOnlyList<IPNetwork> networks, out string problem)
    {
        var list = new List<IPNetwork>();
        networks = list;
        problem = "";
        foreach (string item in text.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryParseNetwork(item, out var network, out problem))
            {
                return false;
            }

            if (!list.Contains(network))
            {
                list.Add(network);
            }
        }

        return true;
    }

    private static bool TryParseNetwork(string item, out IPNetwork network, out string problem)
    {
        network = default;
        problem = $"{ValueText.Quote(item)} is not an address or CIDR {NetworkExample}";
        int slash = item.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? item : item[..slash];
        if (!(addressText.Contains(':', StringComparison.Ordinal) ? TryParseIPv6(addressText, out var address) : TryParseIPv4(addressText, out address)))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            problem = $"{ValueText.Quote(item)} has a zone index, which an allow-list entry cannot use {NetworkExample}";
            return false;
        }

        int maxLength = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int length = maxLength;
        if (slash >= 0 && (!int.TryParse(item.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > maxLength))
        {
            problem = $"{ValueText.Quote(item)} has a prefix length outside 0..{maxLength} {NetworkExample}";
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && length >= 96)
        {
            address = address.MapToIPv4();
            length -= 96;
        }

        // IPNetwork quietly clears bits past the prefix (since .NET 9); in an allow-list "10.0.0.1/8"
        // may as well mean 10.0.0.1 alone, so ask instead of guessing.
        network = new IPNetwork(address, length);
        if (!network.BaseAddress.Equals(address))
        {
            problem = $"{ValueText.Quote(item)} has host bits set past /{length} (did you mean {network}?)";
            return false;
        }

        return true;
    }

    /// <summary>Only dotted quads of decimal octets (no shorthand, hex or octal forms).</summary>
    private static bool TryParseIPv4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        string[] parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (string part in parts)
        {
            if (part.Length is < 1 or > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int octet) || octet > 255)
            {
                return false;
            }
        }

        return IPAddress.TryParse(text, out address!);
    }

    private static bool TryParseIPv6(string text, out IPAddress address)
    {
        if (text.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(text, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6)
        {
            address = parsed;
            return true;
        }

        address = IPAddress.IPv6None;
        return false;
    }
}
