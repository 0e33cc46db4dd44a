using System.Buffers.Binary;

namespace Bmpmon.Core.Capture;

/// <summary>Finds the IP packet inside a link-layer frame.</summary>
internal static class LinkLayer
{
    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeIpv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;   // IEEE 802.1Q customer tag
    private const ushort EtherTypeQinQ = 0x88A8;   // IEEE 802.1ad service tag
    private const ushort EtherTypeQinQPre = 0x9100; // pre-standard QinQ, still seen on older switches

    private const int EthernetHeaderLength = 14;    // destination MAC, source MAC, EtherType
    private const int VlanTagLength = 4;            // TCI, then the inner EtherType
    private const int SllHeaderLength = 16;         // protocol in the last 2 bytes
    private const int Sll2HeaderLength = 20;        // protocol in the first 2 bytes
    private const int LoopbackHeaderLength = 4;     // address family

    /// <summary>Gives the offset of the IPv4 or IPv6 header in <paramref name="frame"/>, or false for anything else.</summary>
    public static bool TryFindIpHeader(LinkType linkType, ReadOnlySpan<byte> frame, out int ipOffset)
    {
        switch (linkType)
        {
            case LinkType.Ethernet:
                return TryEthernet(frame, out ipOffset);
            case LinkType.LinuxSll:
                ipOffset = SllHeaderLength;
                return frame.Length >= SllHeaderLength
                    && IsIp(BinaryPrimitives.ReadUInt16BigEndian(frame[(SllHeaderLength - 2)..]));
            case LinkType.LinuxSll2:
                ipOffset = Sll2HeaderLength;
                return frame.Length >= Sll2HeaderLength && IsIp(BinaryPrimitives.ReadUInt16BigEndian(frame));
            case LinkType.Null:
            case LinkType.Loop:
                // The family is AF_INET (2) everywhere but AF_INET6 differs per OS (10, 24, 28, 30) and
                // LINKTYPE_NULL writes it in the capturing host's byte order: the IP version nibble is
                // the one unambiguous test, and InternetLayer checks it anyway.
                ipOffset = LoopbackHeaderLength;
                return frame.Length > LoopbackHeaderLength;
            case LinkType.Raw:
            case LinkType.RawDlt12:
            case LinkType.RawDlt14:
            case LinkType.Ipv4:
            case LinkType.Ipv6:
                ipOffset = 0;
                return !frame.IsEmpty;
            default:
                ipOffset = 0;
                return false;
        }
    }

    private static bool TryEthernet(ReadOnlySpan<byte> frame, out int ipOffset)
    {
        ipOffset = 0;
        if (frame.Length < EthernetHeaderLength)
        {
            return false;
        }

        int typeOffset = EthernetHeaderLength - 2;
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[typeOffset..]);

        // Any number of stacked tags (QinQ and beyond): each is TCI + the next EtherType.
        while (etherType is EtherTypeVlan or EtherTypeQinQ or EtherTypeQinQPre)
        {
            typeOffset += VlanTagLength;
            if (frame.Length < typeOffset + 2)
            {
                return false;
            }

            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[typeOffset..]);
        }

        ipOffset = typeOffset + 2;
        return IsIp(etherType);
    }

    private static bool IsIp(ushort etherType) => etherType is EtherTypeIpv4 or EtherTypeIpv6;
}
