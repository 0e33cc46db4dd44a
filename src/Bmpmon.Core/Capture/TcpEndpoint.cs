using System.Globalization;
using System.Net;

namespace Bmpmon.Core.Capture;

/// <summary>
/// One end of a TCP connection, kept as integers so that flow lookups hash no strings;
/// text is made only for the streams finally reported.
/// </summary>
/// <param name="Address">The IPv4 address in the low 32 bits, or the IPv6 address, big-endian order as a number.</param>
/// <param name="IsIPv6">Whether <paramref name="Address"/> is IPv6.</param>
/// <param name="Port">The TCP port.</param>
internal readonly record struct TcpEndpoint(UInt128 Address, bool IsIPv6, ushort Port)
{
    /// <summary>"192.0.2.1:179", or "[2001:db8::1]:179" for IPv6, as Wireshark writes endpoints.</summary>
    public override string ToString()
    {
        if (!IsIPv6)
        {
            var v4 = new IPAddress(new[]
            {
                (byte)(Address >> 24), (byte)(Address >> 16), (byte)(Address >> 8), (byte)Address,
            });
            return string.Create(CultureInfo.InvariantCulture, $"{v4}:{Port}");
        }

        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, Address);
        return string.Create(CultureInfo.InvariantCulture, $"[{new IPAddress(bytes)}]:{Port}");
    }
}
