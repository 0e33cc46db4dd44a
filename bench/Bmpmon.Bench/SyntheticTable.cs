using System.Buffers.Binary;

namespace Bmpmon.Bench;

/// <summary>
/// Builds a BMP byte stream that looks like a router's initial table dump as FRR sends it: an
/// Initiation, one Peer Up (4-octet AS, IPv4 and IPv6 unicast), then one Route Monitoring message
/// per NLRI with realistic attributes (AS paths of 3-8 ASNs, 1-6 communities, MED on some,
/// LOCAL_PREF), IPv4 routes in the classic UPDATE fields and IPv6 routes in MP_REACH_NLRI, then
/// optionally EVPN MAC/IP Advertisement routes (type 2) in MP_REACH_NLRI (L2VPN EVPN).
/// Deterministic for a given seed. With the defaults of the optional parameters the bytes are
/// those of the original two-family table.
/// </summary>
public static class SyntheticTable
{
    /// <summary>The monitored peer's address (192.0.2.2) in the per-peer headers by default.</summary>
    public const uint DefaultPeerAddress = 0xC0000202;

    /// <param name="ipv4Routes">IPv4 unicast routes (/24s and every tenth a /22).</param>
    /// <param name="ipv6Routes">IPv6 unicast routes (/48s).</param>
    /// <param name="seed">Seed of the attribute generator.</param>
    /// <param name="evpnRoutes">EVPN type-2 routes (MAC + IPv4, one label) after the unicast ones; when above 0 the Peer Up also advertises L2VPN EVPN.</param>
    /// <param name="peerAddress">The monitored peer's IPv4 address: different values make distinct peers (distinct rows in a collector's database).</param>
    /// <param name="attributeSets">
    /// 0: every route draws its own attributes (nearly all distinct). Above 0: routes reuse that
    /// many attribute sets, drawn in order, as a real table does (about ten times fewer sets than routes).
    /// </param>
    public static byte[] Build(int ipv4Routes, int ipv6Routes, int seed = 4271, int evpnRoutes = 0, uint peerAddress = DefaultPeerAddress, int attributeSets = 0)
    {
        var random = new Random(seed);
        var pool = attributeSets > 0 ? new AttributePool(attributeSets, seed) : null;
        using var stream = new MemoryStream(capacity: (ipv4Routes + ipv6Routes + evpnRoutes) * 110 + 1024);
        WriteInitiation(stream);
        WritePeerUp(stream, evpnRoutes > 0, peerAddress);
        var message = new byte[4096];
        for (var i = 0; i < ipv4Routes; i++)
        {
            var length = WriteIpv4RouteMonitoring(message, random, i, pool, peerAddress);
            stream.Write(message, 0, length);
        }

        for (var i = 0; i < ipv6Routes; i++)
        {
            var length = WriteIpv6RouteMonitoring(message, random, i, pool, peerAddress);
            stream.Write(message, 0, length);
        }

        for (var i = 0; i < evpnRoutes; i++)
        {
            var length = WriteEvpnRouteMonitoring(message, random, i, pool, peerAddress);
            stream.Write(message, 0, length);
        }

        return stream.ToArray();
    }

    private static void WriteInitiation(Stream stream)
    {
        var sysName = "bench-router"u8;
        var m = new byte[6 + 4 + sysName.Length];
        CommonHeader(m, m.Length, type: 4);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6), 2);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(8), (ushort)sysName.Length);
        sysName.CopyTo(m.AsSpan(10));
        stream.Write(m);
    }

    private static void WritePeerUp(Stream stream, bool evpn, uint peerAddress)
    {
        // OPEN with capabilities: MP IPv4 unicast, MP IPv6 unicast, 4-octet AS 65010 (and MP L2VPN EVPN).
        byte[] capabilities = evpn
            ? [1, 4, 0, 1, 0, 1, 1, 4, 0, 2, 0, 1, 65, 4, 0, 0, 0xFD, 0xF2, 1, 4, 0, 25, 0, 70]
            : [1, 4, 0, 1, 0, 1, 1, 4, 0, 2, 0, 1, 65, 4, 0, 0, 0xFD, 0xF2];
        var open = new byte[19 + 10 + 2 + capabilities.Length];
        BgpHeader(open, open.Length, type: 1);
        open[19] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(open.AsSpan(20), 65010);
        BinaryPrimitives.WriteUInt16BigEndian(open.AsSpan(22), 180);
        BinaryPrimitives.WriteUInt32BigEndian(open.AsSpan(24), 0xC0000201);
        open[28] = (byte)(2 + capabilities.Length);
        open[29] = 2;
        open[30] = (byte)capabilities.Length;
        capabilities.CopyTo(open, 31);

        var m = new byte[6 + 42 + 20 + open.Length * 2];
        CommonHeader(m, m.Length, type: 3);
        PerPeerHeader(m.AsSpan(6), peerAddress);
        m[6 + 42 + 15] = 1; // local address 0.0.0.1 (IPv4 in the last 4 bytes)
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6 + 42 + 16), 179);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6 + 42 + 18), 40000);
        open.CopyTo(m, 6 + 42 + 20);
        open.CopyTo(m, 6 + 42 + 20 + open.Length);
        stream.Write(m);
    }

    private static int WriteIpv4RouteMonitoring(byte[] m, Random random, int index, AttributePool? pool, uint peerAddress)
    {
        var attributes = m.AsSpan(6 + 42 + 19 + 4);
        var attributesLength = pool?.Write(attributes) ?? WriteCommonAttributes(attributes, random);
        attributes[attributesLength++] = 0x40; // NEXT_HOP, well-known transitive
        attributes[attributesLength++] = 3;
        attributes[attributesLength++] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(attributes[attributesLength..], 0xC0000201);
        attributesLength += 4;

        // 1M routes spread over /24s and a few shorter prefixes, like a real table.
        var prefixLength = (byte)(index % 10 == 0 ? 22 : 24);
        var address = 0x0B000000u + ((uint)index << 8);
        var nlri = attributes[attributesLength..];
        nlri[0] = prefixLength;
        BinaryPrimitives.WriteUInt32BigEndian(nlri[1..], address);
        var nlriLength = 1 + (prefixLength + 7) / 8;

        var body = m.AsSpan(6 + 42 + 19);
        BinaryPrimitives.WriteUInt16BigEndian(body, 0);
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], (ushort)attributesLength);
        var updateLength = 19 + 4 + attributesLength + nlriLength;
        return FinishRouteMonitoring(m, updateLength, peerAddress);
    }

    private static int WriteIpv6RouteMonitoring(byte[] m, Random random, int index, AttributePool? pool, uint peerAddress)
    {
        var attributes = m.AsSpan(6 + 42 + 19 + 4);
        var length = pool?.Write(attributes) ?? WriteCommonAttributes(attributes, random);

        // MP_REACH_NLRI: AFI 2, SAFI 1, next hop 2001:db8::1, one /48 prefix.
        var reach = attributes[length..];
        reach[0] = 0x80;
        reach[1] = 14;
        var value = reach[3..];
        BinaryPrimitives.WriteUInt16BigEndian(value, 2);
        value[2] = 1;
        value[3] = 16;
        BinaryPrimitives.WriteUInt128BigEndian(value[4..], new UInt128(0x20010DB800000000, 1));
        value[20] = 0;
        value[21] = 48;
        BinaryPrimitives.WriteUInt64BigEndian(value[22..], 0x2A00_0000_0000_0000UL | ((ulong)index << 16));
        var valueLength = 21 + 1 + 6; // AFI, SAFI, NH length, NH, reserved; prefix length; 6 prefix bytes
        reach[2] = (byte)valueLength;
        length += 3 + valueLength;

        var body = m.AsSpan(6 + 42 + 19);
        BinaryPrimitives.WriteUInt16BigEndian(body, 0);
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], (ushort)length);
        return FinishRouteMonitoring(m, 19 + 4 + length, peerAddress);
    }

    /// <summary>
    /// EVPN MAC/IP Advertisement (RFC 7432 section 7.2) in MP_REACH_NLRI (AFI 25, SAFI 70, next
    /// hop the IPv4 VTEP 192.0.2.1): RD 65010:(index / 1000), ESI 0, Ethernet tag 0, a distinct
    /// MAC 02:00:xx:xx:xx:xx, IPv4 10.x.x.x, label (VNI) 10000 + index / 1000.
    /// </summary>
    private static int WriteEvpnRouteMonitoring(byte[] m, Random random, int index, AttributePool? pool, uint peerAddress)
    {
        var attributes = m.AsSpan(6 + 42 + 19 + 4);
        var length = pool?.Write(attributes) ?? WriteCommonAttributes(attributes, random);

        var reach = attributes[length..];
        reach[0] = 0x80;
        reach[1] = 14;
        var value = reach[3..];
        BinaryPrimitives.WriteUInt16BigEndian(value, 25);
        value[2] = 70;
        value[3] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(value[4..], 0xC0000201);
        value[8] = 0;
        var nlri = value[9..];
        nlri[0] = 2; // route type 2
        nlri[1] = 37; // RD 8, ESI 10, tag 4, MAC length 1, MAC 6, IP length 1, IP 4, label 3
        var route = nlri[2..];
        BinaryPrimitives.WriteUInt16BigEndian(route, 0); // RD type 0: 2-byte ASN : 4-byte number
        BinaryPrimitives.WriteUInt16BigEndian(route[2..], 65010);
        BinaryPrimitives.WriteUInt32BigEndian(route[4..], (uint)(index / 1000));
        route[8..22].Clear(); // ESI 0, Ethernet tag 0
        route[22] = 48;
        route[23] = 0x02;
        route[24] = 0x00;
        BinaryPrimitives.WriteUInt32BigEndian(route[25..], (uint)index);
        route[29] = 32;
        BinaryPrimitives.WriteUInt32BigEndian(route[30..], 0x0A000000u + (uint)index);
        var label = (uint)(10_000 + (index / 1000));
        route[34] = (byte)(label >> 16);
        route[35] = (byte)(label >> 8);
        route[36] = (byte)label;
        var valueLength = 9 + 2 + 37;
        reach[2] = (byte)valueLength;
        length += 3 + valueLength;

        var body = m.AsSpan(6 + 42 + 19);
        BinaryPrimitives.WriteUInt16BigEndian(body, 0);
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], (ushort)length);
        return FinishRouteMonitoring(m, 19 + 4 + length, peerAddress);
    }

    /// <summary>A fixed number of attribute sets (ORIGIN .. COMMUNITIES), handed out in turn.</summary>
    private sealed class AttributePool
    {
        private readonly byte[][] _sets;
        private int _next;

        public AttributePool(int count, int seed)
        {
            var random = new Random(seed ^ 0x5EED);
            var scratch = new byte[256];
            _sets = new byte[count][];
            for (var i = 0; i < count; i++)
            {
                _sets[i] = scratch.AsSpan(0, WriteCommonAttributes(scratch, random)).ToArray();
            }
        }

        public int Write(Span<byte> destination)
        {
            var set = _sets[_next];
            _next = (_next + 1) % _sets.Length;
            set.CopyTo(destination);
            return set.Length;
        }
    }

    /// <summary>ORIGIN, AS_PATH (one AS_SEQUENCE of 3-8 four-byte ASNs), sometimes MED, LOCAL_PREF, COMMUNITIES (1-6).</summary>
    private static int WriteCommonAttributes(Span<byte> a, Random random)
    {
        var n = 0;
        a[n++] = 0x40;
        a[n++] = 1;
        a[n++] = 1;
        a[n++] = (byte)random.Next(0, 3);

        var asns = random.Next(3, 9);
        a[n++] = 0x40;
        a[n++] = 2;
        a[n++] = (byte)(2 + asns * 4);
        a[n++] = 2;
        a[n++] = (byte)asns;
        for (var i = 0; i < asns; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(a[n..], i == 0 ? 65010u : (uint)random.Next(1, 400_000));
            n += 4;
        }

        if (random.Next(3) == 0)
        {
            a[n++] = 0x80;
            a[n++] = 4;
            a[n++] = 4;
            BinaryPrimitives.WriteUInt32BigEndian(a[n..], (uint)random.Next(0, 1000));
            n += 4;
        }

        a[n++] = 0x40;
        a[n++] = 5;
        a[n++] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(a[n..], 100);
        n += 4;

        var communities = random.Next(1, 7);
        a[n++] = 0xC0;
        a[n++] = 8;
        a[n++] = (byte)(communities * 4);
        for (var i = 0; i < communities; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(a[n..], (65010u << 16) | (uint)random.Next(1, 5000));
            n += 4;
        }

        return n;
    }

    private static int FinishRouteMonitoring(byte[] m, int updateLength, uint peerAddress)
    {
        var length = 6 + 42 + updateLength;
        CommonHeader(m, length, type: 0);
        PerPeerHeader(m.AsSpan(6), peerAddress);
        BgpHeader(m.AsSpan(6 + 42), updateLength, type: 2);
        return length;
    }

    private static void CommonHeader(Span<byte> m, int length, byte type)
    {
        m[0] = 3;
        BinaryPrimitives.WriteUInt32BigEndian(m[1..], (uint)length);
        m[5] = type;
    }

    /// <summary>Global instance peer (192.0.2.2 by default), AS 65010, pre-policy Adj-RIB-In, IPv4.</summary>
    private static void PerPeerHeader(Span<byte> h, uint peerAddress)
    {
        h[..42].Clear();
        // Peer type 0 (global instance), flags 0: pre-policy Adj-RIB-In, IPv4, 4-byte AS_PATH.
        BinaryPrimitives.WriteUInt32BigEndian(h[22..], peerAddress);
        BinaryPrimitives.WriteUInt32BigEndian(h[26..], 65010);
        BinaryPrimitives.WriteUInt32BigEndian(h[30..], peerAddress);
        BinaryPrimitives.WriteUInt32BigEndian(h[34..], 1_700_000_000);
    }

    private static void BgpHeader(Span<byte> b, int length, byte type)
    {
        b[..16].Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(b[16..], (ushort)length);
        b[18] = type;
    }
}
