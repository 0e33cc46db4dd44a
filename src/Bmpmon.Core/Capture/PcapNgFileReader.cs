using System.Buffers.Binary;
using System.Globalization;

namespace Bmpmon.Core.Capture;

/// <summary>
/// Reads pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html): sections, each a
/// Section Header Block and the blocks after it, every block framed as
/// <c>type(4) total-length(4) body total-length(4)</c> in the section's byte order.
/// </summary>
internal static class PcapNgFileReader
{
    private const uint SectionHeaderBlock = 0x0A0D0D0A; // the same bytes in both byte orders
    private const uint InterfaceDescriptionBlock = 1;
    private const uint ObsoletePacketBlock = 2;
    private const uint SimplePacketBlock = 3;
    private const uint EnhancedPacketBlock = 6;
    private const uint ByteOrderMagic = 0x1A2B3C4D;

    private const int BlockFramingLength = 12;    // type, total length, trailing total length
    private const uint MinSectionHeaderLength = 28; // framing + magic(4) + version(4) + section length(8)
    private const int EpbFixedLength = 20;        // interface id, timestamp high/low, captured and original length
    private const int ObsoletePbFixedLength = 20; // interface id(2), drops(2), timestamp(8), captured and original length
    private const int IdbFixedLength = 8;         // link type(2), reserved(2), snap length(4)

    /// <summary>Whether the file starts with a Section Header Block.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> file) =>
        file.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(file) == SectionHeaderBlock;

    /// <summary>Feeds every packet to <paramref name="table"/>; returns why reading stopped early, if it did.</summary>
    public static CaptureError? Read(ReadOnlySpan<byte> file, TcpConversationTable table)
    {
        var interfaces = new List<LinkType>();
        bool bigEndian = false;
        int offset = 0;
        while (offset < file.Length)
        {
            int remaining = file.Length - offset;
            if (remaining < BlockFramingLength)
            {
                return Error(offset, $"truncated pcapng block header: {remaining} of {BlockFramingLength} bytes");
            }

            uint type = ReadUInt32(file[offset..], bigEndian);
            if (type == SectionHeaderBlock)
            {
                // A new section may change byte order; its interfaces are numbered afresh.
                uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file[(offset + 8)..]);
                if (magic == ByteOrderMagic)
                {
                    bigEndian = false;
                }
                else if (BinaryPrimitives.ReverseEndianness(magic) == ByteOrderMagic)
                {
                    bigEndian = true;
                }
                else
                {
                    return Error(offset, $"pcapng section header has no byte-order magic (0x{magic:X8})");
                }

                interfaces.Clear();
            }
            else if (offset == 0)
            {
                return Error(offset, $"pcapng file does not start with a section header block");
            }

            uint totalLength = ReadUInt32(file[(offset + 4)..], bigEndian);
            uint minLength = type == SectionHeaderBlock ? MinSectionHeaderLength : (uint)BlockFramingLength;
            if (totalLength < minLength || totalLength % 4 != 0)
            {
                return Error(offset, $"pcapng block type 0x{type:X} has a bad total length {totalLength}");
            }

            if (totalLength > (uint)remaining)
            {
                return Error(offset, $"pcapng block type 0x{type:X} claims {totalLength} bytes but only {remaining} remain");
            }

            int blockLength = (int)totalLength;
            uint trailingLength = ReadUInt32(file[(offset + blockLength - 4)..], bigEndian);
            if (trailingLength != totalLength)
            {
                return Error(offset, $"pcapng block type 0x{type:X}: trailing length {trailingLength} differs from {totalLength}");
            }

            int bodyOffset = offset + 8;
            var body = file.Slice(bodyOffset, blockLength - BlockFramingLength);
            var error = ReadBlock(type, body, bodyOffset, bigEndian, interfaces, table);
            if (error is not null)
            {
                return new CaptureError(offset, error);
            }

            offset += blockLength;
        }

        return null;
    }

    private static string? ReadBlock(uint type, ReadOnlySpan<byte> body, int bodyOffset, bool bigEndian, List<LinkType> interfaces, TcpConversationTable table)
    {
        switch (type)
        {
            case InterfaceDescriptionBlock:
                if (body.Length < IdbFixedLength)
                {
                    return "pcapng interface description block is too short";
                }

                interfaces.Add((LinkType)ReadUInt16(body, bigEndian));
                return null;

            case EnhancedPacketBlock:
                return ReadPacket(body, bodyOffset, EpbFixedLength, ReadUInt32(body, bigEndian),
                    ReadUInt32(body[12..], bigEndian), "enhanced packet block", interfaces, table);

            case ObsoletePacketBlock:
                return ReadPacket(body, bodyOffset, ObsoletePbFixedLength, ReadUInt16(body, bigEndian),
                    ReadUInt32(body[12..], bigEndian), "packet block", interfaces, table);

            case SimplePacketBlock:
                if (body.Length < 4)
                {
                    return "pcapng simple packet block is too short";
                }

                // An SPB has no captured length: the original length, cut to what the block holds.
                uint originalLength = ReadUInt32(body, bigEndian);
                uint capturedLength = Math.Min(originalLength, (uint)(body.Length - 4));
                return ReadPacket(body, bodyOffset, 4, 0, capturedLength, "simple packet block", interfaces, table);

            default:
                return null; // SHB (already read), NRB, ISB, DSB, custom blocks: nothing here for TCP.
        }
    }

    private static string? ReadPacket(ReadOnlySpan<byte> body, int bodyOffset, int fixedLength, uint interfaceId,
        uint capturedLength, string blockName, List<LinkType> interfaces, TcpConversationTable table)
    {
        if (body.Length < fixedLength)
        {
            return $"pcapng {blockName} is too short";
        }

        if (capturedLength > (uint)(body.Length - fixedLength))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"pcapng {blockName} claims {capturedLength} captured bytes but holds {body.Length - fixedLength}");
        }

        // A packet on an undeclared interface cannot be decoded, but the framing around it is sound.
        if (interfaceId < (uint)interfaces.Count)
        {
            table.OnFrame(interfaces[(int)interfaceId], body.Slice(fixedLength, (int)capturedLength), bodyOffset + fixedLength);
        }

        return null;
    }

    private static CaptureError Error(int offset, FormattableString reason) =>
        new(offset, reason.ToString(CultureInfo.InvariantCulture));

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);
}
