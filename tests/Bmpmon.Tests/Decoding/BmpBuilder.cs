using System.Buffers.Binary;

namespace Bmpmon.Tests.Decoding;

/// <summary>Builds small BMP v3 messages by hand for decoder tests (RFC 7854 layouts).</summary>
internal static class BmpBuilder
{
    public const uint PeerAddress = 0xC0000202; // 192.0.2.2

    public static byte[] Message(byte type, byte[] body)
    {
        var m = new byte[6 + body.Length];
        m[0] = 3;
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(1), (uint)m.Length);
        m[5] = type;
        body.CopyTo(m, 6);
        return m;
    }

    /// <summary>RFC 7854 s4.2 per-peer header: global instance peer 192.0.2.2, AS 65001.</summary>
    public static byte[] PerPeerHeader(byte flags = 0, byte peerType = 0, uint peerAs = 65001)
    {
        var h = new byte[42];
        h[0] = peerType;
        h[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(22), PeerAddress);
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(26), peerAs);
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(30), PeerAddress);
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(34), 1_700_000_000);
        return h;
    }

    public static byte[] Bgp(byte type, byte[] body)
    {
        var m = new byte[19 + body.Length];
        m.AsSpan(0, 16).Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(16), (ushort)m.Length);
        m[18] = type;
        body.CopyTo(m, 19);
        return m;
    }

    /// <summary>An OPEN with the given capabilities (each already code, length, value).</summary>
    public static byte[] Open(ushort myAs, params byte[][] capabilities)
    {
        var caps = capabilities.SelectMany(c => c).ToArray();
        byte[] head = [4, (byte)(myAs >> 8), (byte)myAs, 0, 180, 192, 0, 2, 1, (byte)(caps.Length + 2), 2, (byte)caps.Length];
        return Bgp(1, [.. head, .. caps]);
    }

    public static byte[] MultiprotocolCapability(ushort afi, byte safi) => [1, 4, (byte)(afi >> 8), (byte)afi, 0, safi];

    public static byte[] FourOctetAsCapability(uint asn) => [65, 4, (byte)(asn >> 24), (byte)(asn >> 16), (byte)(asn >> 8), (byte)asn];

    /// <summary>RFC 7911 s4: one (AFI, SAFI, send/receive) entry; 1 receive, 2 send, 3 both.</summary>
    public static byte[] AddPathCapability(ushort afi, byte safi, byte sendReceive) => [69, 4, (byte)(afi >> 8), (byte)afi, safi, sendReceive];

    public static byte[] PeerUp(byte[] sentOpen, byte[] receivedOpen, byte flags = 0, byte peerType = 0, uint peerAs = 65001)
    {
        var localAddress = new byte[16];
        localAddress[15] = 1;
        byte[] ports = [0, 179, 0x9C, 0x40];
        return Message(3, [.. PerPeerHeader(flags, peerType, peerAs), .. localAddress, .. ports, .. sentOpen, .. receivedOpen]);
    }

    public static byte[] PeerDown(byte reason, byte[] data) => Message(2, [.. PerPeerHeader(), reason, .. data]);

    public static byte[] RouteMonitoring(byte[] update, byte flags = 0, byte peerType = 0) =>
        Message(0, [.. PerPeerHeader(flags, peerType), .. update]);

    /// <summary>An UPDATE (RFC 4271 s4.3) from its three fields.</summary>
    public static byte[] Update(byte[] withdrawn, byte[] attributes, byte[] nlri)
    {
        byte[] body = [(byte)(withdrawn.Length >> 8), (byte)withdrawn.Length, .. withdrawn, (byte)(attributes.Length >> 8), (byte)attributes.Length, .. attributes, .. nlri];
        return Bgp(2, body);
    }

    public static byte[] Attribute(byte flags, byte type, byte[] value) => [flags, type, (byte)value.Length, .. value];

    public static byte[] Origin(byte origin = 0) => Attribute(0x40, 1, [origin]);

    public static byte[] AsPath4(params uint[] asns) =>
        Attribute(0x40, 2, [2, (byte)asns.Length, .. asns.SelectMany(a => new[] { (byte)(a >> 24), (byte)(a >> 16), (byte)(a >> 8), (byte)a })]);

    public static byte[] AsPath2(params ushort[] asns) =>
        Attribute(0x40, 2, [2, (byte)asns.Length, .. asns.SelectMany(a => new[] { (byte)(a >> 8), (byte)a })]);

    public static byte[] NextHop(byte a, byte b, byte c, byte d) => Attribute(0x40, 3, [a, b, c, d]);

    public static byte[] MpReach(ushort afi, byte safi, byte[] nextHop, byte[] nlri) =>
        Attribute(0x80, 14, [(byte)(afi >> 8), (byte)afi, safi, (byte)nextHop.Length, .. nextHop, 0, .. nlri]);

    public static byte[] MpUnreach(ushort afi, byte safi, byte[] nlri) => Attribute(0x80, 15, [(byte)(afi >> 8), (byte)afi, safi, .. nlri]);
}
