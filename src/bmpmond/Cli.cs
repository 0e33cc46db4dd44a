using Bmpmond.Commands;

namespace Bmpmond;

/// <summary>Dispatches the command-line verbs.</summary>
internal static class Cli
{
    private const string Help = """
        bmpmond: a BGP Monitoring Protocol (RFC 7854) collector

        usage:
          bmpmond [run] [--env-file PATH]
              Run the collector: accept BMP sessions on BMPMOND_LISTEN (default 0.0.0.0:11019) and
              write every route and event to BMPMOND_OUTPUT. Settings come from BMPMOND_*
              environment variables and an optional .env file (--env-file, ./.env, or
              /etc/bmpmond/bmpmond.env; see the README's Configuration table). Stops on SIGTERM or
              SIGINT. Exit status: 0 after a clean shutdown, 1 when something failed, 2 when a
              setting is wrong (one line naming it, before the port is bound).
          bmpmond decode [--summary | --routes] [--port N] FILE...
              Decode raw BMP byte streams and pcap/pcapng captures (TCP streams reassembled,
              BMP port detected or given with --port). Writes JSON lines on stdout: one per
              BMP message (default), one per route (--routes), or one summary object (--summary).
              Exit status: 0 when every file decoded cleanly, 1 when a file was unreadable,
              damaged or held malformed messages, 2 on bad usage.
          bmpmond replay FILE... --to HOST:PORT [--rate MSGS_PER_S] [--connections K] [--loop N] [--port P]
              Push raw BMP streams and captures (one connection per TCP stream) into a collector,
              as fast as possible or at a rate; prints what it sent as one JSON object.
          bmpmond check [--env-file PATH] [--timeout SECONDS]
              Health check: read the same settings as run, connect to the BMP port of
              BMPMOND_LISTEN (a wildcard address is checked on loopback) and, with the postgres
              output, read the schema version from the database. Exit status: 0 when both answer,
              1 with a one-line reason on stderr when not, 2 on bad usage or settings.
          bmpmond migrate [--env-file PATH]
              Create or upgrade the PostgreSQL schema at BMPMOND_DATABASE_URL; prints each step
              applied. Exit status: 0 when the schema is current, 1 when the database failed.
          bmpmond status [--env-file PATH]
              Print what the database at BMPMOND_DATABASE_URL holds: routers, peers (up/down),
              routes per family, ingest lag, and each periodic job's last run. Exit status: 0 when
              every job is healthy, 1 when a job is overdue (no run for twice its interval), never
              ran or last failed, or the database cannot be read.
          bmpmond import [--env-file PATH] [--port N] [--router ADDR] FILE...
              Load raw BMP streams and pcap/pcapng captures into the database as if the routers had
              sent them (router = the capture's TCP source, --router for raw streams; times from the per-peer headers). A
              file already imported (same SHA-256) is skipped. Exit status: 0 when every file was
              imported or skipped, 1 when a file could not be read or decoded (named on stderr;
              the other files still import), 2 on bad usage.
          bmpmond --version
          bmpmond --help
        """;

    public static int Run(string[] args, Stream stdout, TextWriter stderr)
    {
        // With no verb, or only options, bmpmond runs the collector (as systemd starts it).
        if (args.Length == 0 || args[0].StartsWith("--env-file", StringComparison.Ordinal))
        {
            return RunCommand.Run(args, stdout, stderr);
        }

        switch (args[0])
        {
            case "-h" or "--help" or "help":
                Write(stdout, Help);
                return 0;
            case "--version" or "version":
                Write(stdout, $"bmpmond {BuildInfo.Version} ({BuildInfo.Commit})\n");
                return 0;
            case "check":
                return CheckCommand.Run(args.AsSpan(1), stdout, stderr);
            case "decode":
                return DecodeCommand.Run(args.AsSpan(1), stdout, stderr);
            case "replay":
                return ReplayCommand.Run(args.AsSpan(1), stdout, stderr);
            case "migrate":
                return MigrateCommand.Run(args.AsSpan(1), stdout, stderr);
            case "status":
                return StatusCommand.Run(args.AsSpan(1), stdout, stderr);
            case "import":
                return ImportCommand.Run(args.AsSpan(1), stdout, stderr);
            case "run":
                return RunCommand.Run(args.AsSpan(1), stdout, stderr);
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
