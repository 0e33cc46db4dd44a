using BenchmarkDotNet.Running;

namespace Bmpmon.Bench;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args is ["throughput", .. var files])
        {
            Throughput.Run(files);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
