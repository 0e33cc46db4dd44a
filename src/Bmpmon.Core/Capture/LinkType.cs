namespace Bmpmon.Core.Capture;

/// <summary>
/// The link-layer header types this reader understands, with their LINKTYPE_ values
/// (https://www.tcpdump.org/linktypes.html), as found in a pcap header or a pcapng IDB.
/// </summary>
internal enum LinkType : ushort
{
    /// <summary>BSD loopback: a 4-byte address family in the capturing host's byte order.</summary>
    Null = 0,

    /// <summary>Ethernet II, possibly with 802.1Q / 802.1ad VLAN tags.</summary>
    Ethernet = 1,

    /// <summary>DLT_RAW on most systems: the frame is an IPv4 or IPv6 packet.</summary>
    RawDlt12 = 12,

    /// <summary>DLT_RAW on OpenBSD, written into some pcap files as is.</summary>
    RawDlt14 = 14,

    /// <summary>LINKTYPE_RAW: the frame is an IPv4 or IPv6 packet.</summary>
    Raw = 101,

    /// <summary>OpenBSD loopback: like <see cref="Null"/> with the family in network byte order.</summary>
    Loop = 108,

    /// <summary>Linux "cooked" capture v1 (16-byte header, protocol at offset 14).</summary>
    LinuxSll = 113,

    /// <summary>Raw IPv4 only.</summary>
    Ipv4 = 228,

    /// <summary>Raw IPv6 only.</summary>
    Ipv6 = 229,

    /// <summary>Linux "cooked" capture v2 (20-byte header, protocol at offset 0).</summary>
    LinuxSll2 = 276,
}
