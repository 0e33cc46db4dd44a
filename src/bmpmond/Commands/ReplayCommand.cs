using System.Text.Json;
using Bmpmon.Core.Capture;
using Bmpmond.Replay;

namespace Bmpmond.Commands;

/// <summary>
/// <c>bmpmond replay FILE... --to HOST:PORT [--rate MSGS_PER_S] [--connections K] [--loop N] [--port P]</c>:
/// pushes raw BMP streams and the BMP streams of pcap/pcapng captures into a collector over TCP, one
/// connection per stream (and per copy), and prints what it sent as one JSON object.
/// Exit status: 0 when every connection sent everything, 1 when one failed, 2 on bad usage.
/// </summary>
internal static class ReplayCommand
{
    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        if (!ReplayArguments.TryParse(args, out var options, out var problem))
        {
            stderr.WriteLine($"bmpmond replay: {problem}");
            stderr.WriteLine(ReplayArguments.Usage);
            return 2;
        }

        if (!TryLoad(options, stderr, out var streams))
        {
            return 2;
        }

        // The command line is synchronous; the connections themselves are all asynchronous.
        var report = ReplayRunner.RunAsync(streams, options).GetAwaiter().GetResult();
        using (var json = new Utf8JsonWriter(stdout))
        {
            report.Write(json);
        }

        stdout.Write("\n"u8);
        stdout.Flush();
        return report.FailedConnections == 0 ? 0 : 1;
    }

    /// <summary>Reads every file into its streams; an unreadable file or one without a BMP stream is bad usage.</summary>
    private static bool TryLoad(ReplayOptions options, TextWriter stderr, out List<ReplayStream> streams)
    {
        streams = [];
        foreach (var file in options.Files)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"bmpmond replay: {file}: cannot read: {e.Message}");
                return false;
            }

            var capture = CaptureReader.Read(bytes, options.BmpPort);
            if (capture.Streams.Count == 0)
            {
                stderr.WriteLine($"bmpmond replay: {file}: no BMP stream found{(options.BmpPort is null && capture.Format != CaptureFormat.RawBmp ? " (try --port)" : string.Empty)}");
                return false;
            }

            // A damaged capture still yields the streams read before the damage: replay those, say so.
            if (capture.Error is { } error)
            {
                stderr.WriteLine($"bmpmond replay: {file}: warning: {capture.Format} capture damaged at file offset {error.FileOffset}: {error.Reason}; replaying the streams read before it");
            }

            foreach (var stream in capture.Streams)
            {
                var name = capture.Format == CaptureFormat.RawBmp ? file : $"{file} stream {stream.Source}";
                streams.Add(ReplayStream.Create(name, stream.Payload));
            }
        }

        return true;
    }
}
