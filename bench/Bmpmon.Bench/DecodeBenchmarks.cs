using BenchmarkDotNet.Attributes;

namespace Bmpmon.Bench;

/// <summary>
/// Decoding throughput on one core: a synthetic full table (1M IPv4 + 200k IPv6 routes, one NLRI
/// per message as FRR sends them), reported per route (<see cref="Routes"/> per invocation). The real
/// fixture stream is in <see cref="FixtureStreamBenchmarks"/>. <c>FramingOnly</c> is the baseline
/// measured in the same run: it walks the same bytes and cuts messages without decoding them.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    /// <summary>Routes in the synthetic table: BenchmarkDotNet divides time and allocation by it.</summary>
    public const int Routes = 1_200_000;

    private byte[] _table = [];

    [GlobalSetup]
    public void Setup() => _table = SyntheticTable.Build(1_000_000, 200_000);

    [Benchmark(Baseline = true, OperationsPerInvoke = Routes)]
    public long FramingOnly() => StreamPasses.Frame(_table);

    [Benchmark(OperationsPerInvoke = Routes)]
    public long DecodeFullTable() => StreamPasses.Decode(_table);
}
