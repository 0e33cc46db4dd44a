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
        if (!CommandSettings.TryReadEnvFileOnly(args, Usage, stderr, out var envFile))
        {
            return 2;
        }

        if (!OptionsLoader.TryLoad(ProcessEnvironment.Read(), envFile, Directory.GetCurrentDirectory(), EnvFileLocator.DefaultEtcPath, out var options, out var error, out _))
        {
            stderr.WriteLine($"bmpmond: {error}");
            return 2;
        }

        // With the routes on stdout (jsonl:-), logs go to stderr so that stdout carries data only,
        // and the routes bypass the console lock so a stalled stdout reader cannot silence the logs.
        var routesOnStdout = options.Output is { Kind: OutputKind.Jsonl, Path: "-" };
        using var logStream = routesOnStdout ? Console.OpenStandardError() : stdout;
        using var routes = routesOnStdout ? Output.StandardOutput.WithoutConsoleLock(stdout) : stdout;

        // The handlers exist before READY=1 is sent, so a SIGTERM right after it is never lost.
        var shutdown = new ShutdownSignal();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => shutdown.Raise(context, "SIGTERM"));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => shutdown.Raise(context, "SIGINT"));
        DaemonHost host;
        try
        {
            host = DaemonHost.Start(options, routes, logStream, SystemdNotifier.FromEnvironment());
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

        // A signal, or the daemon stopping itself (the database stayed unreachable too long).
        Task.WaitAny(shutdown.Task, host.Stopped);
        return host.Stop(shutdown.Task.IsCompleted ? shutdown.Task.Result : "self");
    }

    /// <summary>The first SIGTERM or SIGINT; the default action (killing the process) is cancelled.</summary>
    private sealed class ShutdownSignal
    {
        private readonly TaskCompletionSource<string> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Raise(PosixSignalContext context, string name)
        {
            context.Cancel = true;
            _signal.TrySetResult(name);
        }

        public Task<string> Task => _signal.Task;
    }
}
