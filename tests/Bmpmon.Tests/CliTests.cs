using Bmpmond;

namespace Bmpmon.Tests;

public sealed class CliTests
{
    [Fact]
    public void Unknown_verb_exits_2_and_names_it()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, Cli.Run(["frobnicate"], new MemoryStream(), stderr));
        Assert.Contains("frobnicate", stderr.ToString());
    }

    [Fact]
    public void Version_prints_version_and_commit()
    {
        var stdout = new MemoryStream();
        Assert.Equal(0, Cli.Run(["--version"], stdout, new StringWriter()));
        Assert.Matches(@"^bmpmond \d+\.\d+\.\d+ \(\S+\)\n$", System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
    }
}
