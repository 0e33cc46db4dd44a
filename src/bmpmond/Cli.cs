using Bmpmond.Commands;

namespace Bmpmond;

/// <summary>Dispatches the command-line verbs.</summary>
internal static class Cli
{
    private const string Help = """
        bmpmond: a BGP Monitoring Protocol (RFC 7854) collector

        usage:
          bmpmond decode [--summary | --routes] [--port N] FILE...
              Decode raw BMP byte streams and pcap/pcapng captures (TCP streams reassembled,
              BMP port detected or given with --port). Writes JSON lines on stdout: one per
              BMP message (default), one per route (--routes), or one summary object (--summary).
              Exit status: 0 when every file decoded cleanly, 1 when a file was unreadable,
              damaged or held malformed messages, 2 on bad usage.
          bmpmond replay FILE... --to HOST:PORT [--rate MSGS_PER_S] [--connections K] [--loop N] [--port P]
          bmpmond --version
          bmpmond --help
        """;

    public static int Run(string[] args, Stream stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            stderr.WriteLine(Help);
            return 2;
        }

        switch (args[0])
        {
            case "-h" or "--help" or "help":
                Write(stdout, Help);
                return 0;
            case "--version" or "version":
                Write(stdout, $"bmpmond {BuildInfo.Version} ({BuildInfo.Commit})\n");
                return 0;
            case "decode":
                return DecodeCommand.Run(args.AsSpan(1), stdout, stderr);
            case "replay": return ReplayCommand.Run(args.AsSpan(1), stdout, stderr);
            default:
                stderr.WriteLine($"bmpmond: unknown verb '{args[0]}' (see bmpmond --help)");
                return 2;
        }
    }

    private static void Write(Stream stdout, string text)
    {
        stdout.Write(System.Text.Encoding.UTF8.GetBytes(text));
        stdout.Flush();
    }
}
