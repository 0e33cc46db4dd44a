using System.Text;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>
/// The FQDN capability (code 73, draft-walton-bgp-hostname-capability s3): hostname length (1),
/// hostname, domain name length (1), domain name; both UTF-8.
/// </summary>
public readonly ref struct FqdnCapability
{
    private FqdnCapability(ReadOnlySpan<byte> hostname, ReadOnlySpan<byte> domain)
    {
        HostnameBytes = hostname;
        DomainBytes = domain;
    }

    /// <summary>The hostname bytes.</summary>
    public ReadOnlySpan<byte> HostnameBytes { get; }

    /// <summary>The domain name bytes (may be empty).</summary>
    public ReadOnlySpan<byte> DomainBytes { get; }

    /// <summary>The hostname (allocates).</summary>
    public string Hostname => Encoding.UTF8.GetString(HostnameBytes);

    /// <summary>The domain name (allocates).</summary>
    public string Domain => Encoding.UTF8.GetString(DomainBytes);

    /// <summary>Decodes the capability; <see cref="DecodeErrorCode.Truncated"/> when a length runs past the value.</summary>
    public static bool TryDecode(in Capability capability, out FqdnCapability fqdn, out DecodeError error)
    {
        var reader = new WireReader(capability.Value, capability.ValueOffset);
        if (!reader.TryReadByte(out var hostLength) || !reader.TryReadBytes(hostLength, out var host))
        {
            fqdn = default;
            error = new DecodeError(DecodeErrorCode.Truncated, capability.ValueOffset, "FQDN capability hostname");
            return false;
        }

        ReadOnlySpan<byte> domain = default;

        // Some speakers omit the domain length entirely when there is no domain: accept that.
        if (!reader.End && (!reader.TryReadByte(out var domainLength) || !reader.TryReadBytes(domainLength, out domain)))
        {
            fqdn = default;
            error = new DecodeError(DecodeErrorCode.Truncated, capability.ValueOffset + 1 + hostLength, "FQDN capability domain");
            return false;
        }

        fqdn = new FqdnCapability(host, domain);
        error = default;
        return true;
    }
}
