using System.Buffers.Binary;
using System.Net;
using Bmpmon.Core.Capture;

namespace Bmpmon.Tests.Capture;

/// <summary>Builds IPv4/IPv6 packets carrying TCP or UDP, and link-layer frames around them, for hand-made captures.</summary>
internal static class PacketBuilder
{
    public const TcpFlags Data = TcpFlags.Ack | TcpFlags.Psh;

    /// <summary>An IP packet (version from the address) with a TCP segment; ACK|PSH unless flags are given.</summary>
    public static byte[] Tcp(string source, ushort sourcePort, string destination, ushort destinationPort,
        uint sequence, ReadOnlySpan<byte> payload, TcpFlags flags = Data, byte[]? ipv4Options = null)
    {
        var tcp = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), sequence);
        tcp[12] = 5 << 4; // data offset: 5 words, no options
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), 65535);
        payload.CopyTo(tcp.AsSpan(20));
        return Ip(source, destination, 6, tcp, ipv4Options);
    }

    /// <summary>An IP packet with a UDP datagram.</summary>
    public static byte[] Udp(string source, ushort sourcePort, string destination, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        var udp = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        payload.CopyTo(udp.AsSpan(8));
        return Ip(source, destination, 17, udp, null);
    }

    /// <summary>An IP packet; IPv6 may carry extension headers (each 8 bytes, given by next-header value) before the upper layer.</summary>
    public static byte[] Ip(string source, string destination, byte protocol, byte[] upper, byte[]? ipv4Options, params byte[] ipv6Extensions)
    {
        var src = IPAddress.Parse(source).GetAddressBytes();
        var dst = IPAddress.Parse(destination).GetAddressBytes();
        if (src.Length == 4)
        {
            int headerLength = 20 + (ipv4Options?.Length ?? 0);
            var packet = new byte[headerLength + upper.Length];
            packet[0] = (byte)(0x40 | (headerLength / 4));
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            packet[8] = 64;
            packet[9] = protocol;
            src.CopyTo(packet, 12);
            dst.CopyTo(packet, 16);
            ipv4Options?.CopyTo(packet, 20);
            upper.CopyTo(packet, headerLength);
            return packet;
        }

        int extensions = ipv6Extensions.Length * 8;
        var v6 = new byte[40 + extensions + upper.Length];
        v6[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(4), (ushort)(extensions + upper.Length));
        v6[6] = ipv6Extensions.Length > 0 ? ipv6Extensions[0] : protocol;
        v6[7] = 64;
        src.CopyTo(v6, 8);
        dst.CopyTo(v6, 24);
        for (int i = 0; i < ipv6Extensions.Length; i++)
        {
            v6[40 + (i * 8)] = i + 1 < ipv6Extensions.Length ? ipv6Extensions[i + 1] : protocol; // next header; length 0 = 8 bytes
        }

        upper.CopyTo(v6, 40 + extensions);
        return v6;
    }

    /// <summary>An Ethernet II frame, with 802.1Q/802.1ad tags given as their TPIDs (outermost first), padded to 60 bytes.</summary>
    public static byte[] Ethernet(byte[] ip, params ushort[] tagTypes)
    {
        int header = 14 + (tagTypes.Length * 4);
        var frame = new byte[Math.Max(60, header + ip.Length)]; // minimum frame size: padding the IP length must trim
        int offset = 12;
        foreach (ushort tpid in tagTypes)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), tpid);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset + 2), 100); // VLAN id
            offset += 4;
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), EtherType(ip));
        ip.CopyTo(frame, header);
        return frame;
    }

    /// <summary>A Linux cooked (SLL) frame.</summary>
    public static byte[] Sll(byte[] ip)
    {
        var frame = new byte[16 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1); // ARPHRD_ETHER
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), EtherType(ip));
        ip.CopyTo(frame, 16);
        return frame;
    }

    /// <summary>A Linux cooked v2 (SLL2) frame.</summary>
    public static byte[] Sll2(byte[] ip)
    {
        var frame = new byte[20 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, EtherType(ip));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 2); // interface index
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 1);  // ARPHRD_ETHER
        ip.CopyTo(frame, 20);
        return frame;
    }

    /// <summary>A BSD loopback frame, the family in little-endian host order as a Linux capture writes it.</summary>
    public static byte[] Null(byte[] ip)
    {
        var frame = new byte[4 + ip.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, ip[0] >> 4 == 4 ? 2u : 10u);
        ip.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>A BMP message of the given type with a body of <paramref name="bodyLength"/> bytes counting up.</summary>
    public static byte[] Bmp(byte type, int bodyLength)
    {
        var message = new byte[6 + bodyLength];
        message[0] = 3;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), (uint)message.Length);
        message[5] = type;
        for (int i = 0; i < bodyLength; i++)
        {
            message[6 + i] = (byte)i;
        }

        return message;
    }

    private static ushort EtherType(byte[] ip) => ip[0] >> 4 == 4 ? (ushort)0x0800 : (ushort)0x86DD;
}
