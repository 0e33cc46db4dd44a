using BenchmarkDotNet.Attributes;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Sessions;
using Bmpmon.Core.Wire.Bmp;

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
    public long FramingOnly()
    {
        using var framer = new BmpFramer();
        var handler = new NoOpFrameHandler();
        framer.Feed(_table, ref handler);
        return framer.MessageCount;
    }

    [Benchmark(OperationsPerInvoke = Routes)]
    public long DecodeFullTable()
    {
        using var decoder = new BmpStreamDecoder();
        var sink = new CountingSink();
        decoder.Feed(_table, ref sink);
        return sink.Routes;
    }

    private struct NoOpFrameHandler : IBmpFrameHandler
    {
        public readonly void OnMessage(in BmpCommonHeader header, ReadOnlySpan<byte> message, long streamOffset)
        {
        }
    }
}
