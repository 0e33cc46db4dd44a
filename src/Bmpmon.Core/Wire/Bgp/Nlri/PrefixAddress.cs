using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>Turns the significant bytes of an NLRI prefix into an address, host bits as sent.</summary>
internal static class PrefixAddress
{
    public static IpAddr Read(ReadOnlySpan<byte> bytes, bool isV6)
    {
        if (!isV6)
        {
            // IPv4 is the bulk of every table: build the integer directly, no scratch buffer.
            uint value = 0;
            for (var i = 0; i < bytes.Length && i < 4; i++)
            {
                value |= (uint)bytes[i] << (24 - 8 * i);
            }

            return IpAddr.FromV4(value);
        }

        return bytes.Length == 16 ? IpAddr.FromV6(bytes) : IpAddr.FromPrefixBytes(bytes, isV6: true);
    }
}
