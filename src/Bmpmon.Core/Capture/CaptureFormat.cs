namespace Bmpmon.Core.Capture;

/// <summary>The container a capture file was recognised as, by its leading magic number.</summary>
public enum CaptureFormat
{
    /// <summary>No known magic: the whole file is one BMP byte stream, as a collector socket reads it.</summary>
    RawBmp,

    /// <summary>libpcap's classic format (either byte order, microsecond or nanosecond timestamps).</summary>
    Pcap,

    /// <summary>pcapng (draft-ietf-opsawg-pcapng): one or more sections of blocks.</summary>
    PcapNg,
}
