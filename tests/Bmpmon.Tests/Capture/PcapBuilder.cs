using System.Buffers.Binary;

namespace Bmpmon.Tests.Capture;

/// <summary>Writes classic pcap files in either byte order, with micro- or nanosecond magic.</summary>
internal sealed class PcapBuilder(uint linkType, bool bigEndian = false, bool nanoseconds = false)
{
    private readonly MemoryStream _file = Header(linkType, bigEndian, nanoseconds);

    public PcapBuilder Add(byte[] frame)
    {
        Span<byte> header = stackalloc byte[16];
        Write32(header[8..], (uint)frame.Length, bigEndian);
        Write32(header[12..], (uint)frame.Length, bigEndian);
        _file.Write(header);
        _file.Write(frame);
        return this;
    }

    public byte[] ToArray() => _file.ToArray();

    private static MemoryStream Header(uint linkType, bool bigEndian, bool nanoseconds)
    {
        var header = new byte[24];
        Write32(header, nanoseconds ? 0xA1B23C4Du : 0xA1B2C3D4u, bigEndian);
        Write16(header.AsSpan(4), 2, bigEndian);
        Write16(header.AsSpan(6), 4, bigEndian);
        Write32(header.AsSpan(16), 65535, bigEndian);
        Write32(header.AsSpan(20), linkType, bigEndian);
        var stream = new MemoryStream();
        stream.Write(header);
        return stream;
    }

    internal static void Write32(Span<byte> bytes, uint value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }
    }

    internal static void Write16(Span<byte> bytes, ushort value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        }
    }
}
