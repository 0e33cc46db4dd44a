using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>
/// Dry-run checks of an NLRI field's encoding, used to survive exporters that negotiate Add-Path
/// (RFC 7911) in their OPENs but then send NLRI without path identifiers (FRR 8.4 and GoBGP 3.10
/// Route Monitoring, see shared/notes/real-exporters.md).
/// </summary>
public static class NlriEncoding
{
    /// <summary>
    /// True when <paramref name="data"/> parses completely as NLRI of <paramref name="family"/>, with
    /// path identifiers when <paramref name="addPath"/>. An empty field fits either way; a family
    /// without a decoding here (opaque) always fits, since nothing can be checked.
    /// </summary>
    public static bool Fits(ReadOnlySpan<byte> data, AfiSafi family, bool addPath) => Count(data, family, addPath) >= 0;

    /// <summary>The number of NLRI in <paramref name="data"/>, or -1 when it does not parse completely.</summary>
    public static int Count(ReadOnlySpan<byte> data, AfiSafi family, bool addPath)
    {
        // Announcements are the stricter test for labeled families: they need a bottom-of-stack bit.
        var reader = new NlriReader(data, 0, family, addPath, isWithdrawal: false);
        return CountWith(ref reader, data, family, addPath);
    }

    /// <summary>As <see cref="Count(ReadOnlySpan{byte}, AfiSafi, bool)"/>, with the withdrawal label rule when <paramref name="isWithdrawal"/>.</summary>
    public static int Count(ReadOnlySpan<byte> data, AfiSafi family, bool addPath, bool isWithdrawal)
    {
        var reader = new NlriReader(data, 0, family, addPath, isWithdrawal);
        return CountWith(ref reader, data, family, addPath);
    }

    /// <summary>
    /// Which way to decode a field: the negotiated way when it fits, unless the other way fits too
    /// and only the negotiated reading repeats an NLRI; otherwise the other way when that one fits;
    /// otherwise the negotiated way, so the reader reports the error as negotiated.
    /// </summary>
    /// <remarks>
    /// Why the repetition test: with no Peer Up known (a Loc-RIB peer of RFC 9069 often has none),
    /// "negotiated" means no Add-Path, and a field with path identifiers such as
    /// <c>00000000 20c000020f</c> (path id 0, 192.0.2.15/32) also parses without them, as four
    /// 0.0.0.0/0 routes and the /32: lengths alone cannot tell, and trusting the negotiation invents
    /// default routes. A speaker never lists one NLRI twice in a field, so a reading that does is
    /// implausible (see <see cref="RepeatedNlri"/>). The test runs only when the negotiated reading
    /// has two NLRI or more and the other reading fits as well, so the common one-NLRI UPDATE
    /// (FRR style) costs exactly the one length walk it did before.
    /// </remarks>
    /// <returns>The Add-Path setting to decode <paramref name="data"/> with.</returns>
    public static bool ChooseAddPath(ReadOnlySpan<byte> data, AfiSafi family, bool negotiatedAddPath, bool isWithdrawal)
    {
        var negotiatedCount = Count(data, family, negotiatedAddPath, isWithdrawal);
        if (negotiatedCount < 0)
        {
            return Count(data, family, !negotiatedAddPath, isWithdrawal) >= 0 ? !negotiatedAddPath : negotiatedAddPath;
        }

        if (negotiatedCount < 2)
        {
            return negotiatedAddPath;
        }

        var otherCount = Count(data, family, !negotiatedAddPath, isWithdrawal);
        if (otherCount < 0)
        {
            return negotiatedAddPath;
        }

        var negotiatedRepeats = RepeatedNlri.Any(data, family, negotiatedAddPath, isWithdrawal, negotiatedCount);
        return negotiatedRepeats && !RepeatedNlri.Any(data, family, !negotiatedAddPath, isWithdrawal, otherCount)
            ? !negotiatedAddPath
            : negotiatedAddPath;
    }

    private static int CountWith(ref NlriReader reader, ReadOnlySpan<byte> data, AfiSafi family, bool addPath)
    {
        // The hot case (one or a few unicast prefixes per UPDATE) needs only a walk over the
        // length bytes: nothing is decoded, and a full table pays next to nothing for the check.
        if (family.Safi is Safi.Unicast or Safi.Multicast && family.Afi is Afi.Ipv4 or Afi.Ipv6)
        {
            return CountPrefixes(data, family.Afi == Afi.Ipv6 ? 128 : 32, addPath);
        }

        return CountWith(ref reader);
    }

    /// <summary>RFC 4271 s4.3 / RFC 7911 s3: [path id (4)] length (1, bits) prefix (ceil(bits / 8)).</summary>
    private static int CountPrefixes(ReadOnlySpan<byte> data, int maxBits, bool addPath)
    {
        var count = 0;
        var position = 0;
        while (position < data.Length)
        {
            if (addPath)
            {
                position += 4;
                if (position >= data.Length)
                {
                    return -1;
                }
            }

            var bits = data[position];
            if (bits > maxBits)
            {
                return -1;
            }

            position += 1 + ((bits + 7) >> 3);
            if (position > data.Length)
            {
                return -1;
            }

            count++;
        }

        return count;
    }

    private static int CountWith(ref NlriReader reader)
    {
        var count = 0;
        DecodeError error;
        while (reader.TryRead(out _, out error))
        {
            count++;
        }

        return error.IsError ? -1 : count;
    }
}
