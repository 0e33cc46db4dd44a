using System.Buffers.Binary;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Wire.Bmp;

/// <summary>Locates the shared BMP captures and walks raw BMP streams by the common header.</summary>
internal static class BmpFixtures
{
    /// <summary>The fixtures folder, or null (with the reason written) when absent outside CI.</summary>
    public static string? Root(ITestOutputHelper output)
    {
        var env = Environment.GetEnvironmentVariable("BMPMON_FIXTURES");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bmpmond.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "bmp"));
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }

                break;
            }
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("BMP fixtures not found (set BMPMON_FIXTURES)");
        }

        output.WriteLine("BMP fixtures not found: skipping (set BMPMON_FIXTURES)");
        return null;
    }

    /// <summary>Every raw BMP stream: */streams/*.bmp and bmp_play/bmp.dump.</summary>
    public static IEnumerable<string> Streams(string root)
    {
        foreach (var dir in Directory.GetDirectories(root))
        {
            var streams = Path.Combine(dir, "streams");
            if (Directory.Exists(streams))
            {
                foreach (var file in Directory.GetFiles(streams, "*.bmp").Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
        }

        var dump = Path.Combine(root, "bmp_play", "bmp.dump");
        if (File.Exists(dump))
        {
            yield return dump;
        }
    }

    /// <summary>Cuts a stream into messages by the common header; stops at a partial tail.</summary>
    public static IEnumerable<(int Offset, byte[] Message)> Messages(string file)
    {
        var data = File.ReadAllBytes(file);
        var offset = 0;
        while (data.Length - offset >= 6)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset + 1));
            if (length < 6 || length > data.Length - offset)
            {
                yield break;
            }

            yield return (offset, data.AsSpan(offset, length).ToArray());
            offset += length;
        }
    }
}
