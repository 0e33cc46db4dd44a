using System.Net;
using System.Net.Sockets;
using System.Text;
using Bmpmond.Commands;

namespace Bmpmon.Tests.Commands;

/// <summary><c>bmpmond check</c>: the container health check and monitoring probe.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-check-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Exits_0_when_the_bmp_port_accepts()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (code, stdout, stderr) = Check([], ("BMPMOND_LISTEN", $"0.0.0.0:{port}"), ("BMPMOND_OUTPUT", "null"));

        Assert.True(code == 0, stderr);
        Assert.Equal($"bmpmond check: ok, BMP port 127.0.0.1:{port} accepts connections\n", stdout);
    }

    [Fact]
    public void Exits_1_with_one_line_when_nothing_listens()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var (code, stdout, stderr) = Check([], ("BMPMOND_LISTEN", $"127.0.0.1:{port}"), ("BMPMOND_OUTPUT", "null"));

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"bmpmond check: BMP port 127.0.0.1:{port} (BMPMOND_LISTEN=127.0.0.1:{port}): connection refused", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "soon")]
    [InlineData("--frobnicate", "1")]
    public void Bad_usage_exits_2(string option, string value)
    {
        var (code, _, stderr) = Check([option, value]);

        Assert.Equal(2, code);
        Assert.StartsWith("bmpmond check: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_setting_exits_2_naming_it()
    {
        var (code, _, stderr) = Check([], ("BMPMOND_LISTEN", "nowhere"));

        Assert.Equal(2, code);
        Assert.StartsWith("bmpmond check: BMPMOND_LISTEN: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_output_without_a_database_url_exits_2_naming_it()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        var (code, stdout, stderr) = Check([], ("BMPMOND_LISTEN", $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("bmpmond check: BMPMOND_DATABASE_URL: must be set when BMPMOND_OUTPUT=postgres (the default;", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Wildcard_addresses_are_probed_on_loopback()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 11019), CheckCommand.ProbeEndpoint(new IPEndPoint(IPAddress.Any, 11019)));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 11019), CheckCommand.ProbeEndpoint(new IPEndPoint(IPAddress.IPv6Any, 11019)));
        var specific = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1790);
        Assert.Equal(specific, CheckCommand.ProbeEndpoint(specific));
    }

    [Fact]
    public void The_cli_dispatches_check()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, Bmpmond.Cli.Run(["check", "--frobnicate"], new MemoryStream(), stderr));
        Assert.Contains("usage: bmpmond check", stderr.ToString(), StringComparison.Ordinal);
    }

    private (int Code, string Stdout, string Stderr) Check(string[] args, params (string Name, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int code = CheckCommand.Run(args, environment, _folder, Path.Combine(_folder, "none.env"), stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
