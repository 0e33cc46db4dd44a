using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Decoding;

/// <summary>
/// Counts what a decode saw: messages per type, NLRI per family and per RIB, End-of-RIB markers,
/// Add-Path fallbacks and errors by reason. Backs <c>bmpmond decode --summary</c> and the
/// conformance tests. Counting allocates only when a new family, RIB or reason first appears.
/// </summary>
public sealed class DecodeSummary
{
    private readonly long[] _messages = new long[8];
    private readonly Dictionary<AfiSafi, NlriCount> _nlri = [];
    private readonly Dictionary<(BmpRib Rib, AfiSafi Family), NlriCount> _byRib = [];
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);

    // A table dump is a long run of one family from one RIB: the last pair of counters saves two
    // dictionary lookups per route.
    private (BmpRib Rib, AfiSafi Family, NlriCount Nlri, NlriCount ByRib)? _last;

    /// <summary>Input files read.</summary>
    public int Files { get; set; }

    /// <summary>End-of-RIB markers seen (not counted as NLRI).</summary>
    public long EndOfRib { get; private set; }

    /// <summary>NLRI fields decoded against the negotiated Add-Path encoding.</summary>
    public long AddPathFallbacks { get; private set; }

    /// <summary>NLRI counts per family.</summary>
    public IReadOnlyDictionary<AfiSafi, NlriCount> Nlri => _nlri;

    /// <summary>NLRI counts per RIB and family.</summary>
    public IReadOnlyDictionary<(BmpRib Rib, AfiSafi Family), NlriCount> ByRib => _byRib;

    /// <summary>Errors by reason.</summary>
    public IReadOnlyDictionary<string, long> Errors => _errors;

    /// <summary>Messages of a type; types above 6 are counted together under 7.</summary>
    public long Messages(BmpMessageType type) => _messages[Math.Min((int)type, 7)];

    /// <summary>Messages of any type.</summary>
    public long TotalMessages => _messages.Sum();

    internal void CountMessage(BmpMessageType type) => _messages[Math.Min((int)type, 7)]++;

    internal void CountRoute(BmpRib rib, AfiSafi family, bool withdrawn)
    {
        if (_last is not { } last || last.Rib != rib || last.Family != family)
        {
            last = (rib, family, GetOrAdd(_nlri, family), GetOrAdd(_byRib, (rib, family)));
            _last = last;
        }

        Count(last.Nlri, withdrawn);
        Count(last.ByRib, withdrawn);
    }

    internal void CountEndOfRib() => EndOfRib++;

    internal void CountAddPathFallback() => AddPathFallbacks++;

    /// <summary>Counts an error under its reason (also used for framing and capture errors).</summary>
    public void CountError(in DecodeError error) => CountError(error.Reason);

    /// <summary>Counts an error under <paramref name="reason"/>.</summary>
    public void CountError(string reason)
    {
        _errors.TryGetValue(reason, out var n);
        _errors[reason] = n + 1;
    }

    private static void Count(NlriCount count, bool withdrawn)
    {
        if (withdrawn)
        {
            count.Withdrawn++;
        }
        else
        {
            count.Announced++;
        }
    }

    private static NlriCount GetOrAdd<TKey>(Dictionary<TKey, NlriCount> counts, TKey key)
        where TKey : notnull
    {
        if (!counts.TryGetValue(key, out var count))
        {
            count = new NlriCount();
            counts.Add(key, count);
        }

        return count;
    }
}
