using System.Diagnostics;
using System.Security.Cryptography;
using Bmpmon.Core.Storage;

namespace Bmpmon.Bench;

/// <summary>
/// What one attribute set id costs: SHA-256 through the platform's crypto library (the id before
/// schema step 8) against SipHash-2-4 (the id now), over inputs the size of a canonical attribute
/// block with its next hops. Prints nanoseconds per id for each, measured in the same run.
/// </summary>
internal static class AttributeIdCost
{
    public static void Run(int bytes, int count)
    {
        var input = new byte[bytes];
        new Random(1).NextBytes(input);
        var digest = new byte[32];
        var key = new AttributeIdKey(0x0706050403020100, 0x0f0e0d0c0b0a0908);
        ulong sink = 0;
        for (var round = 0; round < 2; round++)
        {
            // The first round warms up; the second is printed.
            var sha = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                input[0] = (byte)i;
                SHA256.HashData(input, digest);
            }

            sha.Stop();
            var sip = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                input[0] = (byte)i;
                sink ^= SipHash.Hash24(key.K0, key.K1, input);
            }

            sip.Stop();
            if (round == 1)
            {
                var shaNs = sha.Elapsed.TotalNanoseconds / count;
                var sipNs = sip.Elapsed.TotalNanoseconds / count;
                GC.KeepAlive(sink);
                Console.WriteLine($"attribute id over {bytes} bytes, {count:N0} ids: SHA-256 {shaNs:F0} ns, SipHash-2-4 {sipNs:F0} ns, ratio {shaNs / sipNs:F1}");
            }
        }
    }
}
