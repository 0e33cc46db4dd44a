using System.Buffers.Binary;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

/// <summary>
/// Finds the shared BMP captures and walks their raw streams by the 6-octet common header
/// (RFC 7854 s4.1). A test helper only: the real framer lives elsewhere.
/// </summary>
internal static class BmpFixtureStreams
{
    /// <summary>The fixtures folder, or null when it is not on this machine.</summary>
    public static string? Root()
    {
        var env = Environment.GetEnvironmentVariable("BMPMON_FIXTURES");
        if (!string.IsNullOrEmpty(env))
        {
            return Directory.Exists(env) ? env : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bmpmond.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "bmp"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }

    /// <summary>True when missing fixtures must fail the test (CI), not skip it.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>(offset, length) of every whole BMP message in a stream.</summary>
    public static IEnumerable<(int Offset, int Length)> Messages(byte[] stream)
    {
        var pos = 0;
        while (pos + 6 <= stream.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(pos + 1));
            if (length < 6 || pos + length > stream.Length)
            {
                yield break;
            }

            yield return (pos, length);
            pos += length;
        }
    }
}
