using System.Buffers.Binary;

namespace Bmpmon.Core.Capture;

/// <summary>Reads IPv4 (RFC 791) and IPv6 (RFC 8200) headers down to a TCP segment (RFC 9293).</summary>
internal static class InternetLayer
{
    private const byte ProtocolTcp = 6;
    private const byte Ipv6HopByHop = 0;
    private const byte Ipv6Routing = 43;
    private const byte Ipv6Fragment = 44;
    private const byte Ipv6AuthenticationHeader = 51;
    private const byte Ipv6DestinationOptions = 60;

    private const int Ipv4MinHeaderLength = 20;
    private const int Ipv6HeaderLength = 40;
    private const int TcpMinHeaderLength = 20;

    /// <summary>
    /// Decodes the IP packet at <paramref name="ipOffset"/> of <paramref name="frame"/> into a TCP segment;
    /// false for anything that is not a whole-enough TCP segment (UDP, ICMP, later fragments, bad headers).
    /// </summary>
    public static bool TryDecodeTcp(ReadOnlySpan<byte> frame, int ipOffset, int frameFileOffset, out TcpSegment segment)
    {
        segment = default;
        var ip = frame[ipOffset..];
        if (ip.IsEmpty)
        {
            return false;
        }

        TcpEndpoint source, destination;
        int tcpOffset, tcpEnd;
        switch (ip[0] >> 4)
        {
            case 4:
                if (!TryIpv4(ip, out var src4, out var dst4, out tcpOffset, out tcpEnd))
                {
                    return false;
                }

                source = new TcpEndpoint(src4, false, 0);
                destination = new TcpEndpoint(dst4, false, 0);
                break;
            case 6:
                if (!TryIpv6(ip, out var src6, out var dst6, out tcpOffset, out tcpEnd))
                {
                    return false;
                }

                source = new TcpEndpoint(src6, true, 0);
                destination = new TcpEndpoint(dst6, true, 0);
                break;
            default:
                return false;
        }

        var tcp = ip[tcpOffset..tcpEnd];
        if (tcp.Length < TcpMinHeaderLength)
        {
            return false;
        }

        int dataOffset = (tcp[12] >> 4) * 4;
        if (dataOffset < TcpMinHeaderLength || dataOffset > tcp.Length)
        {
            return false;
        }

        segment = new TcpSegment(
            source with { Port = BinaryPrimitives.ReadUInt16BigEndian(tcp) },
            destination with { Port = BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]) },
            BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]),
            (TcpFlags)(tcp[13] & 0x1F),
            frameFileOffset + ipOffset + tcpOffset + dataOffset,
            tcp.Length - dataOffset);
        return true;
    }

    private static bool TryIpv4(ReadOnlySpan<byte> ip, out UInt128 source, out UInt128 destination, out int tcpOffset, out int tcpEnd)
    {
        source = destination = 0;
        tcpOffset = tcpEnd = 0;
        if (ip.Length < Ipv4MinHeaderLength)
        {
            return false;
        }

        int headerLength = (ip[0] & 0x0F) * 4; // IHL counts 32-bit words and includes the options
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        int fragmentOffset = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x1FFF;
        if (headerLength < Ipv4MinHeaderLength || headerLength > ip.Length || ip[9] != ProtocolTcp || fragmentOffset != 0)
        {
            return false;
        }

        // Total length 0 is what TCP segmentation offload leaves in captures taken on the sender;
        // otherwise it trims Ethernet padding and FCS, and a snapped capture ends where the frame ends.
        int end = totalLength == 0 ? ip.Length : Math.Min(totalLength, ip.Length);
        if (end < headerLength)
        {
            return false;
        }

        source = BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
        destination = BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
        tcpOffset = headerLength;
        tcpEnd = end;
        return true;
    }

    private static bool TryIpv6(ReadOnlySpan<byte> ip, out UInt128 source, out UInt128 destination, out int tcpOffset, out int tcpEnd)
    {
        source = destination = 0;
        tcpOffset = tcpEnd = 0;
        if (ip.Length < Ipv6HeaderLength)
        {
            return false;
        }

        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        // 0 means a jumbogram (RFC 2675) or a TSO capture: take what was captured.
        int end = payloadLength == 0 ? ip.Length : Math.Min(Ipv6HeaderLength + payloadLength, ip.Length);
        byte nextHeader = ip[6];
        int offset = Ipv6HeaderLength;

        // Each extension header is at least 8 bytes long, so this loop ends within the packet.
        while (nextHeader != ProtocolTcp)
        {
            if (offset + 2 > end)
            {
                return false;
            }

            int length;
            switch (nextHeader)
            {
                case Ipv6HopByHop or Ipv6Routing or Ipv6DestinationOptions:
                    length = (ip[offset + 1] + 1) * 8;
                    break;
                case Ipv6AuthenticationHeader:
                    length = (ip[offset + 1] + 2) * 4;
                    break;
                case Ipv6Fragment:
                    // Reassembling IPv6 fragments is out of scope: TCP over IPv6 is not fragmented in
                    // practice (path MTU discovery and MSS clamping).
                    return false;
                default:
                    return false; // UDP, ICMPv6, ESP, no next header, ...
            }

            nextHeader = ip[offset];
            offset += length;
        }

        if (offset > end)
        {
            return false;
        }

        source = BinaryPrimitives.ReadUInt128BigEndian(ip[8..]);
        destination = BinaryPrimitives.ReadUInt128BigEndian(ip[24..]);
        tcpOffset = offset;
        tcpEnd = end;
        return true;
    }
}
