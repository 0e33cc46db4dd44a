using Bmpmond;

namespace Bmpmon.Tests;

public sealed class CliTests
{
    [Fact]
    public void Unknown_verb_exits_2_and_names_it()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(2, Cli.Run(["frobnicate"], stdout, stderr));
        Assert.Contains("frobnicate", stderr.ToString());
    }
}
