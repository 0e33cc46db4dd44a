using System.Collections;
using System.Runtime.InteropServices;
using Bmpmond.Configuration;
using Bmpmond.Daemon;

namespace Bmpmond.Commands;

/// <summary>
/// <c>bmpmond [run] [--env-file PATH]</c>: the collector itself. Reads the configuration (exit 2
/// with one line naming the setting when it is wrong, before the port is bound), starts, and runs
/// until SIGTERM or SIGINT.
/// </summary>
internal static class RunCommand
{
    public const string Usage = "usage: bmpmond [run] [--env-file PATH]";

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        string? envFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--env-file" && i + 1 < args.Length)
            {
                envFile = args[++i];
            }
            else
            {
                stderr.WriteLine($"bmpmond: unexpected argument '{args[i]}'");
                stderr.WriteLine(Usage);
                return 2;
            }
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        if (!OptionsLoader.TryLoad(environment, envFile, Directory.GetCurrentDirectory(), "/etc/bmpmond/bmpmond.env", out var options, out var error, out _))
        {
            stderr.WriteLine($"bmpmond: {error}");
            return 2;
        }

        // With the routes on stdout (jsonl:-), logs go to stderr so that stdout carries data only.
        using var logStream = options.Output is { Kind: OutputKind.Jsonl, Path: "-" } ? Console.OpenStandardError() : stdout;
        DaemonHost host;
        try
        {
            host = DaemonHost.Start(options, stdout, logStream, SystemdNotifier.FromEnvironment());
        }
        catch (System.Net.Sockets.SocketException e)
        {
            stderr.WriteLine($"bmpmond: cannot listen on BMPMOND_LISTEN={options.Listen}: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"bmpmond: cannot open BMPMOND_OUTPUT: {e.Message}");
            return 1;
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, host, "SIGTERM"));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, host, "SIGINT"));
        return host.Stopped.GetAwaiter().GetResult();
    }

    private static void OnSignal(PosixSignalContext context, DaemonHost host, string name)
    {
        // The default action would kill the process; the shutdown sequence ends it instead.
        context.Cancel = true;
        _ = Task.Run(() => host.Stop(name));
    }
}
