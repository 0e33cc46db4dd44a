namespace Bmpmond;

internal static class Program
{
    private static int Main(string[] args)
    {
        using var stdout = Console.OpenStandardOutput();
        return Cli.Run(args, stdout, Console.Error);
    }
}
