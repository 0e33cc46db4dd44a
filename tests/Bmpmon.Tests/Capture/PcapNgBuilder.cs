using System.Buffers.Binary;

namespace Bmpmon.Tests.Capture;

/// <summary>Writes pcapng files: sections (either byte order), interfaces, and the packet block kinds.</summary>
internal sealed class PcapNgBuilder
{
    private readonly MemoryStream _file = new();
    private bool _bigEndian;

    public PcapNgBuilder Section(bool bigEndian = false)
    {
        _bigEndian = bigEndian;
        var body = new byte[16];
        PcapBuilder.Write32(body, 0x1A2B3C4D, bigEndian);
        PcapBuilder.Write16(body.AsSpan(4), 1, bigEndian);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), -1); // section length unknown
        return Block(0x0A0D0D0A, body);
    }

    public PcapNgBuilder Interface(ushort linkType)
    {
        var body = new byte[8];
        PcapBuilder.Write16(body, linkType, _bigEndian);
        PcapBuilder.Write32(body.AsSpan(4), 65535, _bigEndian);
        return Block(1, body);
    }

    public PcapNgBuilder Enhanced(uint interfaceId, byte[] frame)
    {
        var body = new byte[20 + Pad(frame.Length)];
        PcapBuilder.Write32(body, interfaceId, _bigEndian);
        PcapBuilder.Write32(body.AsSpan(12), (uint)frame.Length, _bigEndian);
        PcapBuilder.Write32(body.AsSpan(16), (uint)frame.Length, _bigEndian);
        frame.CopyTo(body, 20);
        return Block(6, body);
    }

    public PcapNgBuilder Simple(byte[] frame)
    {
        var body = new byte[4 + Pad(frame.Length)];
        PcapBuilder.Write32(body, (uint)frame.Length, _bigEndian);
        frame.CopyTo(body, 4);
        return Block(3, body);
    }

    public PcapNgBuilder ObsoletePacket(ushort interfaceId, byte[] frame)
    {
        var body = new byte[20 + Pad(frame.Length)];
        PcapBuilder.Write16(body, interfaceId, _bigEndian);
        PcapBuilder.Write32(body.AsSpan(12), (uint)frame.Length, _bigEndian);
        PcapBuilder.Write32(body.AsSpan(16), (uint)frame.Length, _bigEndian);
        frame.CopyTo(body, 20);
        return Block(2, body);
    }

    public PcapNgBuilder Block(uint type, byte[] body)
    {
        Span<byte> word = stackalloc byte[4];
        PcapBuilder.Write32(word, type, _bigEndian);
        _file.Write(word);
        PcapBuilder.Write32(word, (uint)(body.Length + 12), _bigEndian);
        _file.Write(word);
        _file.Write(body);
        _file.Write(word);
        return this;
    }

    public byte[] ToArray() => _file.ToArray();

    private static int Pad(int length) => (length + 3) & ~3;
}
