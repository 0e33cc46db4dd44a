using BenchmarkDotNet.Running;

namespace Bmpmon.Bench;

internal static class Program
{
    private static void Main(string[] args)
    {
        // Writes the synthetic table as a raw BMP stream, for replays and for bmpmond decode:
        // synthetic FILE IPV4 IPV6 [EVPN [PEER [ATTRIBUTE_SETS]]], PEER n making peer 192.0.2.(2+n).
        if (args is ["synthetic", var path, var ipv4, var ipv6, .. var more] && more.Length <= 3)
        {
            var evpn = more.Length > 0 ? Int(more[0]) : 0;
            var peer = SyntheticTable.DefaultPeerAddress + (uint)(more.Length > 1 ? Int(more[1]) : 0);
            var sets = more.Length > 2 ? Int(more[2]) : 0;
            File.WriteAllBytes(path, SyntheticTable.Build(Int(ipv4), Int(ipv6), evpnRoutes: evpn, peerAddress: peer, attributeSets: sets));
            return;
        }

        // Splits a binary COPY file into files of N rows (the ingest bench's COPY ceiling).
        if (args is ["copy-split", var input, var rows, var prefix])
        {
            var (written, total) = CopySplit.Run(input, Int(rows), prefix);
            Console.WriteLine($"{written} {total}");
            return;
        }

        // The database side alone: batch-cost URL IPV4 IPV6 EVPN [ROUTERS [ATTRIBUTE_SETS]] (bench/batch-cost.sh).
        if (args is ["batch-cost", var url, var v4, var v6, var evpnRoutes, .. var rest] && rest.Length <= 2)
        {
            BatchCost.Run(url, Int(v4), Int(v6), Int(evpnRoutes), rest.Length > 0 ? Int(rest[0]) : 1, rest.Length > 1 ? Int(rest[1]) : 0);
            return;
        }

        // Cost of one attribute set id, SHA-256 against SipHash-2-4: attribute-ids [BYTES [COUNT]].
        if (args is ["attribute-ids", .. var sizes] && sizes.Length <= 2)
        {
            AttributeIdCost.Run(sizes.Length > 0 ? Int(sizes[0]) : 80, sizes.Length > 1 ? Int(sizes[1]) : 2_000_000);
            return;
        }

        if (args is ["throughput", .. var files])
        {
            Throughput.Run(files);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static int Int(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
