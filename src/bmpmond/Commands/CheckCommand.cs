using System.Net;
using System.Net.Sockets;
using Bmpmond.Configuration;

namespace Bmpmond.Commands;

/// <summary>
/// <c>bmpmond check [--env-file PATH] [--timeout SECONDS]</c>: the health check a container's
/// <c>HEALTHCHECK</c> (exec form: the distroless image has no shell) or a monitoring system runs.
/// It reads the same settings as <c>bmpmond run</c>, connects to the BMP port of
/// <c>BMPMOND_LISTEN</c> (a wildcard address is checked on loopback) and, with the PostgreSQL
/// output, to the database (<see cref="DatabaseCheck"/>), each within the timeout. Exit 0 with one line on
/// stdout when every check passes; 1 with one line on stderr naming the first failed check;
/// 2 on bad usage or a wrong setting.
/// </summary>
/// <remarks>
/// The daemon sees the probe as a router that connects and leaves at once: one
/// <c>router_connected</c> and one <c>router_disconnected</c> line per check (or
/// <c>router_refused</c> when loopback is not in <c>BMPMOND_ALLOWED_ROUTERS</c>, which still
/// proves the port accepts).
/// </remarks>
internal static class CheckCommand
{
    public const string Usage = "usage: bmpmond check [--env-file PATH] [--timeout SECONDS]";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr) =>
        Run(args, ProcessEnvironment.Read(), Directory.GetCurrentDirectory(), EnvFileLocator.DefaultEtcPath, stdout, stderr);

    /// <summary>The check with the environment, working directory and default file given (tests use this).</summary>
    internal static int Run(
        ReadOnlySpan<string> args,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        string etcPath,
        Stream stdout,
        TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!TryParseArguments(args, out string? envFile, out var timeout, out string problem))
        {
            stderr.WriteLine($"bmpmond check: {problem}");
            stderr.WriteLine(Usage);
            return 2;
        }

        if (!OptionsLoader.TryLoad(environment, envFile, workingDirectory, etcPath, out var options, out var error, out _))
        {
            stderr.WriteLine($"bmpmond check: {error}");
            return 2;
        }

        var target = ProbeEndpoint(options.Listen);
        if (!TryConnect(target, timeout, out string reason))
        {
            stderr.WriteLine($"bmpmond check: BMP port {target} (BMPMOND_LISTEN={options.Listen}): {reason}");
            return 1;
        }

        string database = "";
        if (options.Output.Kind == OutputKind.Postgres
            && Storage.DatabaseUrl.TryParse(options.DatabaseUrl!, out var connectionString, out _))
        {
            if (!DatabaseCheck.TryCheck(connectionString, timeout, out string result, options.DbSchema))
            {
                stderr.WriteLine($"bmpmond check: database: {result}");
                return 1;
            }

            database = $", {result}";
        }

        stdout.Write(System.Text.Encoding.UTF8.GetBytes($"bmpmond check: ok, BMP port {target} accepts connections{database}\n"));
        stdout.Flush();
        return 0;
    }

    /// <summary>The address to connect to: a wildcard listen address is probed on loopback of the same family.</summary>
    internal static IPEndPoint ProbeEndpoint(IPEndPoint listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        if (listen.Address.Equals(IPAddress.Any))
        {
            return new IPEndPoint(IPAddress.Loopback, listen.Port);
        }

        return listen.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, listen.Port) : listen;
    }

    private static bool TryConnect(IPEndPoint target, TimeSpan timeout, out string reason)
    {
        reason = "";
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            socket.ConnectAsync(target, cancel.Token).AsTask().GetAwaiter().GetResult();
            socket.Shutdown(SocketShutdown.Both);
            return true;
        }
        catch (OperationCanceledException)
        {
            reason = $"no answer within {timeout.TotalSeconds:0.#} s";
        }
        catch (SocketException e)
        {
            reason = e.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused (is bmpmond running?)" : e.Message;
        }

        return false;
    }

    private static bool TryParseArguments(ReadOnlySpan<string> args, out string? envFile, out TimeSpan timeout, out string problem)
    {
        envFile = null;
        timeout = DefaultTimeout;
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--env-file" && i + 1 < args.Length)
            {
                envFile = args[++i];
            }
            else if (args[i] == "--timeout" && i + 1 < args.Length)
            {
                if (!double.TryParse(args[++i], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out double seconds)
                    || seconds is <= 0 or > 300)
                {
                    problem = $"--timeout {args[i]}: not a number of seconds above 0, up to 300";
                    return false;
                }

                timeout = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                problem = $"unexpected argument '{args[i]}'";
                return false;
            }
        }

        return true;
    }
}
