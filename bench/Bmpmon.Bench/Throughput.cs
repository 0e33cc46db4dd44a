using System.Diagnostics;
using Bmpmon.Core.Capture;
using Bmpmon.Core.Decoding;

namespace Bmpmon.Bench;

/// <summary>
/// <c>Bmpmon.Bench throughput [FILE...]</c>: a quick, printed figure of routes per second, ns and
/// bytes allocated per route on one thread, for the synthetic full table and for given captures,
/// next to a baseline measured in the same run (a byte-sum pass over the same input), because the
/// machines are shared and absolute numbers drift.
/// </summary>
public static class Throughput
{
    public static void Run(string[] files)
    {
        Report("synthetic 1M IPv4 + 200k IPv6, one NLRI per message", [SyntheticTable.Build(1_000_000, 200_000)], rounds: 5);
        foreach (var file in files)
        {
            var capture = CaptureReader.Read(File.ReadAllBytes(file));
            Report(Path.GetFileName(file), capture.Streams.Select(s => s.Payload).ToArray(), rounds: 20);
        }
    }

    private static void Report(string name, byte[][] streams, int rounds)
    {
        var bytes = streams.Sum(s => (long)s.Length);
        Decode(streams); // warm-up: JIT tiering, pools
        Decode(streams);
        var baselineTicks = long.MaxValue;
        var decodeTicks = long.MaxValue;
        var allocated = 0L;
        var sink = default(CountingSink);
        for (var round = 0; round < rounds; round++)
        {
            var start = Stopwatch.GetTimestamp();
            ByteSum(streams);
            baselineTicks = Math.Min(baselineTicks, Stopwatch.GetTimestamp() - start);

            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            start = Stopwatch.GetTimestamp();
            sink = Decode(streams);
            decodeTicks = Math.Min(decodeTicks, Stopwatch.GetTimestamp() - start);
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        }

        var seconds = decodeTicks / (double)Stopwatch.Frequency;
        var baselineSeconds = baselineTicks / (double)Stopwatch.Frequency;
        Console.WriteLine(
            $"{name}: {sink.Messages:N0} messages, {sink.Routes:N0} routes, {sink.Errors} errors, {bytes:N0} bytes | " +
            $"{sink.Routes / seconds:N0} routes/s, {seconds * 1e9 / Math.Max(1, sink.Routes):F1} ns/route, " +
            $"{allocated / (double)Math.Max(1, sink.Routes):F3} B allocated/route ({allocated:N0} B per pass) | " +
            $"baseline byte-sum {bytes / baselineSeconds / 1e9:F2} GB/s; decode/baseline time ratio {seconds / baselineSeconds:F1}");
    }

    private static CountingSink Decode(byte[][] streams)
    {
        var sink = new CountingSink();
        foreach (var stream in streams)
        {
            using var decoder = new BmpStreamDecoder();
            decoder.Feed(stream, ref sink);
        }

        return sink;
    }

    private static ulong ByteSum(byte[][] streams)
    {
        ulong sum = 0;
        foreach (var stream in streams)
        {
            foreach (var b in stream)
            {
                sum += b;
            }
        }

        return sum;
    }
}
