using System.Buffers.Binary;
using System.Globalization;

namespace Bmpmon.Bench;

/// <summary>
/// Splits a PostgreSQL binary COPY file (<c>COPY .. TO 'file' (FORMAT binary)</c>) into files of
/// at most N rows each, every one a valid binary COPY file (signature, flags, no extension,
/// tuples, trailer), so the ingest bench can load pre-built rows in the daemon's batch size with
/// server-side <c>COPY .. FROM 'file'</c>: no client, no decoding, no encoding.
/// </summary>
public static class CopySplit
{
    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    /// <summary>Writes PREFIX.00000, PREFIX.00001, ...; returns (files, rows).</summary>
    public static (int Files, long Rows) Run(string input, int rowsPerFile, string prefix)
    {
        var bytes = File.ReadAllBytes(input);
        if (bytes.Length < 19 || !bytes.AsSpan(0, 11).SequenceEqual(Signature))
        {
            throw new InvalidDataException($"{input}: not a PostgreSQL binary COPY file");
        }

        var extension = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(15));
        var position = 19 + extension;
        var header = bytes.AsSpan(0, 19).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(15), 0);

        var files = 0;
        long rows = 0;
        while (true)
        {
            var start = position;
            var count = 0;
            while (count < rowsPerFile)
            {
                var fields = BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(position));
                if (fields == -1)
                {
                    break;
                }

                position += 2;
                for (var f = 0; f < fields; f++)
                {
                    var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position));
                    position += 4 + Math.Max(length, 0);
                }

                count++;
            }

            if (count == 0)
            {
                return (files, rows);
            }

            var name = prefix + "." + files.ToString("D5", CultureInfo.InvariantCulture);
            using (var output = File.Create(name))
            {
                output.Write(header);
                output.Write(bytes, start, position - start);
                output.Write([0xFF, 0xFF]);
            }

            files++;
            rows += count;
        }
    }
}
