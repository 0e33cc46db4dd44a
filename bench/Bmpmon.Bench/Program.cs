using BenchmarkDotNet.Running;

namespace Bmpmon.Bench;

internal static class Program
{
    private static void Main(string[] args)
    {
        // Writes the synthetic table as a raw BMP stream, for replays and for bmpmond decode.
        if (args is ["synthetic", var path, var ipv4, var ipv6])
        {
            File.WriteAllBytes(path, SyntheticTable.Build(int.Parse(ipv4, System.Globalization.CultureInfo.InvariantCulture), int.Parse(ipv6, System.Globalization.CultureInfo.InvariantCulture)));
            return;
        }

        if (args is ["throughput", .. var files])
        {
            Throughput.Run(files);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
