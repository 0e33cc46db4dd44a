using BenchmarkDotNet.Attributes;

namespace Bmpmon.Bench;

/// <summary>
/// Decoding a real router stream on one core: the biggest raw stream of the shared fixtures
/// (<c>../shared/fixtures/bmp/*/streams/*.bmp</c>, or <c>$BMPMON_FIXTURES</c>), a Cisco router of
/// pmacct's multi-source capture with Peer Ups, Route Monitoring (IPv4/IPv6 unicast, labeled, VPN)
/// and many Statistics Reports. Figures are per route (<see cref="Routes"/> per invocation), so the
/// other messages of the stream are part of each route's cost. <c>FramingOnly</c> is the baseline.
/// </summary>
[MemoryDiagnoser]
public class FixtureStreamBenchmarks
{
    /// <summary>
    /// Routes in the biggest fixture stream. BenchmarkDotNet takes OperationsPerInvoke as a constant, so
    /// the setup checks it against the stream and stops with a message when the fixtures change.
    /// </summary>
    public const int Routes = 2_315;

    private byte[] _stream = [];

    [GlobalSetup]
    public void Setup()
    {
        var file = BiggestStream();
        _stream = File.ReadAllBytes(file);
        var routes = StreamPasses.Decode(_stream);
        if (routes != Routes)
        {
            throw new InvalidOperationException(
                $"{file} decodes to {routes} routes, but FixtureStreamBenchmarks.Routes (the OperationsPerInvoke) says {Routes}: update the constant");
        }

        Console.WriteLine($"// fixture stream: {file}, {_stream.Length} bytes, {routes} routes");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Routes)]
    public long FramingOnly() => StreamPasses.Frame(_stream);

    [Benchmark(OperationsPerInvoke = Routes)]
    public long DecodeFixtureStream() => StreamPasses.Decode(_stream);

    /// <summary>The largest <c>*/streams/*.bmp</c> of the fixtures; fails with where it looked when there is none.</summary>
    private static string BiggestStream()
    {
        var root = FixturesRoot();
        var streams = root is null ? [] : Directory.GetFiles(root, "*.bmp", SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "streams").ToArray();
        if (streams.Length == 0)
        {
            throw new InvalidOperationException(
                $"no fixture stream found: this benchmark reads ../shared/fixtures/bmp/*/streams/*.bmp beside the repository " +
                $"(looked in {root ?? "the parents of " + AppContext.BaseDirectory + " and " + Environment.CurrentDirectory}); set BMPMON_FIXTURES to the fixtures folder");
        }

        return streams.OrderByDescending(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal).First();
    }

    private static string? FixturesRoot()
    {
        if (Environment.GetEnvironmentVariable("BMPMON_FIXTURES") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        // BenchmarkDotNet runs each benchmark in a process built below the bench project: walk up to the repository.
        foreach (var start in (string[])[AppContext.BaseDirectory, Environment.CurrentDirectory])
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "bmpmond.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "bmp"));
                }
            }
        }

        return null;
    }
}
