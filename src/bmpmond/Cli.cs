namespace Bmpmond;

/// <summary>Dispatches the command-line verbs.</summary>
internal static class Cli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine("usage: bmpmond decode [--summary | --routes] [--port N] FILE...");
            return args.Length == 0 ? 2 : 0;
        }

        stderr.WriteLine($"bmpmond: unknown verb '{args[0]}'");
        return 2;
    }
}
