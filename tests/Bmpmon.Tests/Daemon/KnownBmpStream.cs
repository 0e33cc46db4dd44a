using System.Buffers.Binary;
using System.Text;
using static Bmpmon.Tests.Decoding.BmpBuilder;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// A hand-built BMP session whose every count is known by construction: Initiation (sysName,
/// sysDescr), Peer Up of 192.0.2.2 AS 65001 (4-byte AS, IPv4 and IPv6 unicast, Add-Path both ways
/// for IPv4), three Route Monitoring messages (IPv4: 3 announced with path ids, 1 withdrawn; IPv6: 2
/// announced, then 1 withdrawn), a Peer Down (reason 1, Cease / Administrative Shutdown with a
/// shutdown communication) 100 s after the Peer Up, and a Termination.
/// </summary>
internal static class KnownBmpStream
{
    public const string SysName = "edge1.lab";
    public const string SysDescr = "Test Router OS 7.1";
    public const string ShutdownCommunication = "planned maintenance";
    public const uint UpSeconds = 1_700_000_000;
    public const uint DownSeconds = 1_700_000_100;

    public const int Ipv4Learned = 3;
    public const int Ipv4Withdrawn = 1;
    public const int Ipv6Learned = 2;
    public const int Ipv6Withdrawn = 1;
    public const int Routes = Ipv4Learned + Ipv4Withdrawn + Ipv6Learned + Ipv6Withdrawn;

    private static readonly byte[] OpenAddPath = Open(65001, MultiprotocolCapability(1, 1), MultiprotocolCapability(2, 1), FourOctetAsCapability(65001), AddPathCapability(1, 1, 3));

    public static byte[] Initiation { get; } = Message(4, [.. Tlv(1, SysDescr), .. Tlv(2, SysName)]);

    public static byte[] PeerUpMessage { get; } = PeerUp(OpenAddPath, OpenAddPath);

    public static byte[] Ipv4Update { get; } = RouteMonitoring(Update(
        [0, 0, 0, 1, 24, 10, 9, 9],
        [.. Origin(), .. AsPath4(65001), .. NextHop(192, 0, 2, 2)],
        [0, 0, 0, 1, 24, 10, 0, 0, 0, 0, 0, 2, 24, 10, 0, 1, 0, 0, 0, 1, 24, 10, 0, 2]));

    public static byte[] Ipv6Announce { get; } = RouteMonitoring(Update(
        [],
        [.. Origin(), .. AsPath4(65001), .. MpReach(2, 1, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], [32, 0x20, 0x01, 0x0d, 0xb8, 48, 0x20, 0x01, 0x0d, 0xb8, 0, 1])],
        []));

    public static byte[] Ipv6Withdraw { get; } = RouteMonitoring(Update([], MpUnreach(2, 1, [32, 0x20, 0x01, 0x0d, 0xb8]), []));

    /// <summary>Reason 1 (the local system sent a NOTIFICATION): Cease (6) / Administrative Shutdown (2) with an RFC 9003 communication.</summary>
    public static byte[] PeerDownMessage { get; } = WithTimestamp(
        PeerDown(1, Bgp(3, [6, 2, (byte)ShutdownCommunication.Length, .. Encoding.UTF8.GetBytes(ShutdownCommunication)])), DownSeconds);

    /// <summary>Reason 0: administratively closed.</summary>
    public static byte[] Termination { get; } = Message(5, [0, 1, 0, 2, 0, 0]);

    /// <summary>Every message but the Termination: the router stays connected.</summary>
    public static byte[][] Session { get; } = [Initiation, PeerUpMessage, Ipv4Update, Ipv6Announce, Ipv6Withdraw, PeerDownMessage];

    public static byte[][] All { get; } = [.. Session, Termination];

    public static byte[] Bytes(IEnumerable<byte[]> messages) => messages.SelectMany(m => m).ToArray();

    private static byte[] Tlv(ushort type, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return [(byte)(type >> 8), (byte)type, (byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }

    /// <summary>Sets the per-peer header's timestamp seconds (RFC 7854 s4.2, after the 6-byte common header).</summary>
    private static byte[] WithTimestamp(byte[] message, uint seconds)
    {
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(6 + 34), seconds);
        return message;
    }
}
