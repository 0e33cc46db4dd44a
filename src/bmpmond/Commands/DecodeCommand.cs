using System.Globalization;
using Bmpmon.Core.Capture;
using Bmpmon.Core.Decoding;
using Bmpmond.Output;

namespace Bmpmond.Commands;

/// <summary>
/// <c>bmpmond decode [--summary | --routes] [--port N] FILE...</c>: decodes raw BMP streams and
/// pcap/pcapng captures and writes JSON lines: one per BMP message (default), one per route
/// (<c>--routes</c>), or one summary object (<c>--summary</c>).
/// </summary>
internal static class DecodeCommand
{
    public const string Usage = "usage: bmpmond decode [--summary | --routes] [--port N] FILE...";

    private enum Mode
    {
        Messages,
        Routes,
        Summary,
    }

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        if (!TryParse(args, out var mode, out var port, out var files, out var problem))
        {
            stderr.WriteLine($"bmpmond decode: {problem}");
            stderr.WriteLine(Usage);
            return 2;
        }

        var summary = new DecodeSummary();
        using var output = new JsonLineWriter(stdout);
        var failed = false;
        foreach (var file in files)
        {
            failed |= !DecodeFile(file, port, mode, summary, output, stderr);
        }

        if (mode == Mode.Summary)
        {
            SummaryJson.Write(output.Json, summary);
            output.EndLine();
        }

        // Malformed messages make the exit 1 too (README: "held malformed messages"), not only damaged
        // files: a script that checks the status must not take a partly decoded capture for a clean one.
        return failed || summary.Errors.Count > 0 ? 1 : 0;
    }

    private static bool DecodeFile(string file, ushort? port, Mode mode, DecodeSummary summary, JsonLineWriter output, TextWriter stderr)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"bmpmond decode: {file}: cannot read: {e.Message}");
            summary.CountError("unreadable_file");
            return false;
        }

        summary.Files++;
        var capture = CaptureReader.Read(bytes, port);
        var ok = true;
        foreach (var stream in capture.Streams)
        {
            var router = capture.Format == CaptureFormat.RawBmp ? file : stream.Source;
            ok &= DecodeStream(file, router, stream.Payload, mode, summary, output, stderr);
        }

        if (capture.Error is { } error)
        {
            stderr.WriteLine($"bmpmond decode: {file}: {capture.Format} capture damaged at file offset {error.FileOffset}: {error.Reason}");
            summary.CountError("capture_damaged");
            ok = false;
        }

        if (capture.Streams.Count == 0 && capture.Error is null)
        {
            stderr.WriteLine($"bmpmond decode: {file}: no BMP stream found{(port is null ? " (try --port)" : string.Empty)}");
        }

        return ok;
    }

    private static bool DecodeStream(string file, string router, byte[] payload, Mode mode, DecodeSummary summary, JsonLineWriter output, TextWriter stderr)
    {
        using var decoder = new BmpStreamDecoder();
        switch (mode)
        {
            case Mode.Summary:
                var counts = new SummarySink(summary);
                decoder.Feed(payload, ref counts);
                break;
            case Mode.Routes:
                var routes = new RouteJsonSink(output, summary, stderr) { Router = router };
                decoder.Feed(payload, ref routes);
                break;
            default:
                var messages = new MessageJsonSink(output, summary, stderr) { Router = router };
                decoder.Feed(payload, ref messages);
                break;
        }

        if (decoder.Complete(out var framing))
        {
            return true;
        }

        var error = framing!.Value;
        stderr.WriteLine(
            $"bmpmond decode: {file}: stream {router}: {error.Error.Reason} in {error.Error.Where} at stream offset {(error.StreamOffset + error.Error.Offset).ToString(CultureInfo.InvariantCulture)}{(error.Error.Code == Bmpmon.Core.Wire.Primitives.DecodeErrorCode.Truncated ? " (stream ends inside a message)" : "; framing lost, rest of stream skipped")}");
        summary.CountError(error.Error);
        return false;
    }

    private static bool TryParse(ReadOnlySpan<string> args, out Mode mode, out ushort? port, out List<string> files, out string problem)
    {
        mode = Mode.Messages;
        port = null;
        files = [];
        problem = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--summary" or "--routes" when mode != Mode.Messages:
                    problem = "--summary and --routes exclude each other";
                    return false;
                case "--summary":
                    mode = Mode.Summary;
                    break;
                case "--routes":
                    mode = Mode.Routes;
                    break;
                case "--port":
                    if (i + 1 >= args.Length || !ushort.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p == 0)
                    {
                        problem = "--port needs a TCP port number (1-65535)";
                        return false;
                    }

                    port = p;
                    i++;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    problem = $"unknown option '{option}'";
                    return false;
                default:
                    files.Add(args[i]);
                    break;
            }
        }

        if (files.Count == 0)
        {
            problem = "no input file";
            return false;
        }

        return true;
    }
}
