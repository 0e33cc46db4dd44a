namespace Bmpmon.Core.Capture;

/// <summary>
/// Turns a capture file into the router-to-collector TCP byte streams, exactly what a collector
/// socket would have read: the input of <c>bmpmond decode</c> and of the replay tool.
/// </summary>
public static class CaptureReader
{
    private const string RawEndpoint = "file";

    /// <summary>
    /// Reads a pcap or pcapng capture (recognised by magic number) or, failing that, takes the file as
    /// one raw BMP byte stream. Never throws on bad input: a truncated or corrupt file yields the streams
    /// read so far and <see cref="CaptureFile.Error"/>.
    /// </summary>
    /// <param name="file">The whole capture file.</param>
    /// <param name="bmpPort">The collector's TCP port; null to detect it from the streams' first bytes.</param>
    public static CaptureFile Read(ReadOnlySpan<byte> file, ushort? bmpPort = null)
    {
        if (PcapFileReader.HasMagic(file))
        {
            var table = new TcpConversationTable();
            var error = PcapFileReader.Read(file, table);
            return Finish(CaptureFormat.Pcap, table, file, bmpPort, error);
        }

        if (PcapNgFileReader.HasMagic(file))
        {
            var table = new TcpConversationTable();
            var error = PcapNgFileReader.Read(file, table);
            return Finish(CaptureFormat.PcapNg, table, file, bmpPort, error);
        }

        // An empty file holds no stream: like a direction without payload, it is not reported.
        CaptureStream[] streams = file.IsEmpty
            ? []
            : [new CaptureStream { Source = RawEndpoint, Destination = RawEndpoint, Payload = file.ToArray() }];
        return new CaptureFile(CaptureFormat.RawBmp, streams, null, null);
    }

    private static CaptureFile Finish(CaptureFormat format, TcpConversationTable table, ReadOnlySpan<byte> file, ushort? bmpPort, CaptureError? error)
    {
        var streams = BmpStreamSelector.Select(table, file, bmpPort, out var port);
        return new CaptureFile(format, streams, error, port);
    }
}
