using System.Globalization;

namespace Bmpmond.Replay;

/// <summary>Parses the command line of <c>bmpmond replay</c>.</summary>
internal static class ReplayArguments
{
    public const string Usage = "usage: bmpmond replay FILE... --to HOST:PORT [--rate MSGS_PER_S] [--connections K] [--loop N] [--port P]";

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="problem"/> names the problem in one line.</summary>
    public static bool TryParse(ReadOnlySpan<string> args, out ReplayOptions options, out string problem)
    {
        options = null!;
        problem = string.Empty;
        var files = new List<string>();
        ReplayTarget? target = null;
        double? rate = null;
        var connections = 1;
        var loop = 1;
        ushort? port = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                files.Add(arg);
                continue;
            }

            if (arg is not ("--to" or "--rate" or "--connections" or "--loop" or "--port"))
            {
                problem = $"unknown option '{arg}'";
                return false;
            }

            if (i + 1 >= args.Length)
            {
                problem = $"{arg} needs a value";
                return false;
            }

            var value = args[++i];
            var ok = arg switch
            {
                "--to" => ReplayTarget.TryParse(value, out target, out problem),
                "--rate" => TryPositiveRate(value, out rate, out problem),
                "--connections" => TryPositiveInt(arg, value, out connections, out problem),
                "--loop" => TryPositiveInt(arg, value, out loop, out problem),
                _ => TryPort(value, out port, out problem),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (files.Count == 0)
        {
            problem = "no input file";
            return false;
        }

        if (target is null)
        {
            problem = "--to HOST:PORT is missing";
            return false;
        }

        options = new ReplayOptions
        {
            Files = files,
            Target = target,
            Rate = rate,
            Connections = connections,
            Loop = loop,
            BmpPort = port,
        };
        return true;
    }

    private static bool TryPositiveRate(string value, out double? rate, out string problem)
    {
        rate = null;
        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r) || !double.IsFinite(r) || r <= 0)
        {
            problem = $"--rate '{value}': expected a positive number of messages per second";
            return false;
        }

        rate = r;
        problem = string.Empty;
        return true;
    }

    private static bool TryPositiveInt(string option, string value, out int number, out string problem)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number <= 0)
        {
            problem = $"{option} '{value}': expected a positive whole number";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    private static bool TryPort(string value, out ushort? port, out string problem)
    {
        port = null;
        if (!ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p == 0)
        {
            problem = $"--port '{value}': expected a TCP port number (1-65535)";
            return false;
        }

        port = p;
        problem = string.Empty;
        return true;
    }
}
