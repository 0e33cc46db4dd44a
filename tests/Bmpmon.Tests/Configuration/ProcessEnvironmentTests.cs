using Bmpmond.Configuration;

namespace Bmpmon.Tests.Configuration;

public class ProcessEnvironmentTests
{
    [Fact]
    public void Reads_the_prefixed_variables_under_their_own_names()
    {
        // Unique names: the process environment is shared with every test running in parallel.
        string suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        string plain = $"BMPMOND_TEST_{suffix}";
        string nested = $"BMPMOND_TEST__{suffix}";
        Environment.SetEnvironmentVariable(plain, "a b");
        Environment.SetEnvironmentVariable(nested, "c");
        try
        {
            var env = ProcessEnvironment.Read();
            Assert.Equal("a b", env[plain]);
            Assert.Equal("c", env[nested]);
            foreach (string name in env.Keys)
            {
                Assert.StartsWith("BMPMOND_", name, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(plain, null);
            Environment.SetEnvironmentVariable(nested, null);
        }
    }
}
