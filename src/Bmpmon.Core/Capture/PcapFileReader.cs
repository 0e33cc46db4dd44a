using System.Buffers.Binary;
using System.Globalization;

namespace Bmpmon.Core.Capture;

/// <summary>
/// Reads libpcap's classic file format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html):
/// a 24-byte file header, then records of a 16-byte header and the captured bytes.
/// </summary>
internal static class PcapFileReader
{
    // The magic as a little-endian read sees it; a big-endian file shows the byte-swapped value.
    private const uint MagicMicroseconds = 0xA1B2C3D4;
    private const uint MagicNanoseconds = 0xA1B23C4D;
    private const uint MagicModified = 0xA1B2CD34; // Alexey Kuznetzov's patched libpcap: 24-byte records

    private const int FileHeaderLength = 24;
    private const int LinkTypeOffset = 20;          // low 16 bits; the high bits carry FCS information
    private const int RecordHeaderLength = 16;      // ts_sec, ts_subsec, incl_len, orig_len
    private const int ModifiedRecordHeaderLength = 24; // + ifindex, protocol, pkt_type, padding
    private const int CapturedLengthOffset = 8;

    /// <summary>Whether the file starts with a pcap magic number, in either byte order.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> file) => TryMagic(file, out _, out _);

    /// <summary>Feeds every record to <paramref name="table"/>; returns why reading stopped early, if it did.</summary>
    public static CaptureError? Read(ReadOnlySpan<byte> file, TcpConversationTable table)
    {
        if (!TryMagic(file, out bool bigEndian, out int recordHeaderLength))
        {
            return new CaptureError(0, "not a pcap file");
        }

        if (file.Length < FileHeaderLength)
        {
            return new CaptureError(0, Format($"truncated pcap file header: {file.Length} of {FileHeaderLength} bytes"));
        }

        var linkType = (LinkType)(ReadUInt32(file[LinkTypeOffset..], bigEndian) & 0xFFFF);
        int offset = FileHeaderLength;
        while (offset < file.Length)
        {
            int remaining = file.Length - offset;
            if (remaining < recordHeaderLength)
            {
                return new CaptureError(offset, Format(
                    $"truncated pcap record header: {remaining} of {recordHeaderLength} bytes"));
            }

            uint capturedLength = ReadUInt32(file[(offset + CapturedLengthOffset)..], bigEndian);
            int dataOffset = offset + recordHeaderLength;
            if (capturedLength > (uint)(file.Length - dataOffset))
            {
                return new CaptureError(offset, Format(
                    $"pcap record claims {capturedLength} captured bytes but only {file.Length - dataOffset} remain"));
            }

            table.OnFrame(linkType, file.Slice(dataOffset, (int)capturedLength), dataOffset);
            offset = dataOffset + (int)capturedLength;
        }

        return null;
    }

    private static bool TryMagic(ReadOnlySpan<byte> file, out bool bigEndian, out int recordHeaderLength)
    {
        bigEndian = false;
        recordHeaderLength = RecordHeaderLength;
        if (file.Length < 4)
        {
            return false;
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        if (!IsMagic(magic))
        {
            magic = BinaryPrimitives.ReverseEndianness(magic);
            if (!IsMagic(magic))
            {
                return false;
            }

            bigEndian = true;
        }

        if (magic == MagicModified)
        {
            recordHeaderLength = ModifiedRecordHeaderLength;
        }

        return true;
    }

    private static bool IsMagic(uint magic) => magic is MagicMicroseconds or MagicNanoseconds or MagicModified;

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
