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
        return CountWith(ref reader);
    }

    /// <summary>As <see cref="Count(ReadOnlySpan{byte}, AfiSafi, bool)"/>, with the withdrawal label rule when <paramref name="isWithdrawal"/>.</summary>
    public static int Count(ReadOnlySpan<byte> data, AfiSafi family, bool addPath, bool isWithdrawal)
    {
        var reader = new NlriReader(data, 0, family, addPath, isWithdrawal);
        return CountWith(ref reader);
    }

    /// <summary>
    /// Which way to decode a field: the negotiated way when it fits (so when both fit, the
    /// negotiation wins: an ambiguous field is never second-guessed); otherwise the other way when
    /// that one fits; otherwise the negotiated way, so the reader reports the error as negotiated.
    /// </summary>
    /// <returns>The Add-Path setting to decode <paramref name="data"/> with.</returns>
    public static bool ChooseAddPath(ReadOnlySpan<byte> data, AfiSafi family, bool negotiatedAddPath, bool isWithdrawal)
    {
        if (Count(data, family, negotiatedAddPath, isWithdrawal) >= 0)
        {
            return negotiatedAddPath;
        }

        return Count(data, family, !negotiatedAddPath, isWithdrawal) >= 0 ? !negotiatedAddPath : negotiatedAddPath;
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
