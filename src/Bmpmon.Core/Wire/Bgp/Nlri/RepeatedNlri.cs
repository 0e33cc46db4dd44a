using System.Buffers;
using System.Numerics;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>
/// Finds an NLRI that occurs twice in one NLRI field: the plausibility test that settles a field
/// whose bytes parse completely both with and without Add-Path path identifiers (RFC 7911).
/// </summary>
/// <remarks>
/// Why repetition: a speaker has no reason to list the same NLRI twice in one UPDATE field (with
/// Add-Path, the same prefix under two path identifiers is two different NLRI, and stays legal).
/// The wrong reading of a field, on the other hand, repeats itself in a typical way: the path
/// identifier 0 (or any small one) read as plain NLRI is four (or three) 0.0.0.0/0 or ::/0 routes in
/// a row. Wireshark and NetGauze read such fields with the path identifiers; the repetition is what
/// tells the two readings apart when both fit the lengths.
/// <para>
/// "The same" means the same bytes (path identifier, labels, RD and prefix included). Allocation-free:
/// an open-addressing table of (offset, length) pairs on the stack, rented from the shared pool only
/// for fields of more than 128 NLRI, and only ever built for a field whose two readings both fit.
/// </para>
/// </remarks>
internal static class RepeatedNlri
{
    /// <summary>Table slots kept on the stack (2 KiB): enough for fields of up to 128 NLRI at half load.</summary>
    private const int StackSlots = 256;

    /// <summary>
    /// True when decoding <paramref name="data"/> as <paramref name="family"/> (with path identifiers
    /// when <paramref name="addPath"/>) yields some NLRI twice. <paramref name="count"/> is the number
    /// of NLRI that reading yields (from <see cref="NlriEncoding.Count(ReadOnlySpan{byte}, AfiSafi, bool, bool)"/>).
    /// </summary>
    public static bool Any(ReadOnlySpan<byte> data, AfiSafi family, bool addPath, bool isWithdrawal, int count)
    {
        if (count < 2)
        {
            return false;
        }

        var slots = (int)BitOperations.RoundUpToPowerOf2((uint)count * 2);
        ulong[]? rented = null;
        var table = slots <= StackSlots ? stackalloc ulong[StackSlots] : (rented = ArrayPool<ulong>.Shared.Rent(slots));
        table = table[..slots];
        table.Clear();
        try
        {
            return FindRepeat(data, family, addPath, isWithdrawal, table);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<ulong>.Shared.Return(rented);
            }
        }
    }

    private static bool FindRepeat(ReadOnlySpan<byte> data, AfiSafi family, bool addPath, bool isWithdrawal, Span<ulong> table)
    {
        var mask = table.Length - 1;
        var reader = new NlriReader(data, 0, family, addPath, isWithdrawal);
        while (reader.TryRead(out var nlri, out _))
        {
            var raw = nlri.Raw;
            var hash = new HashCode();
            hash.AddBytes(raw);
            var slot = hash.ToHashCode() & mask;

            // An entry is (offset << 32 | length); every NLRI is at least one byte, so 0 marks a free slot.
            while (table[slot] != 0)
            {
                var entry = table[slot];
                if (data.Slice((int)(entry >> 32), (int)(uint)entry).SequenceEqual(raw))
                {
                    return true;
                }

                slot = (slot + 1) & mask;
            }

            table[slot] = ((ulong)(uint)nlri.Offset << 32) | (uint)raw.Length;
        }

        return false;
    }
}
