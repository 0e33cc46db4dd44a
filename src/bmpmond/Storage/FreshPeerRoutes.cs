namespace Bmpmond.Storage;

/// <summary>
/// The peers whose rows in <c>routes</c> this writer alone has inserted: the peer had none when the
/// writer first resolved its id, and the keys the writer has inserted since are remembered. A key
/// of such a peer that is not remembered is not in the table, so its row goes in by COPY instead of
/// through the staged upsert, which costs about three times as much per route (measured with
/// <c>bench/batch-cost.sh</c>): a full table from a new peer is all new keys.
/// </summary>
/// <remarks>
/// Every doubt falls back to the upsert, which is right for any key: a remembered key (or one
/// sharing its fingerprint), a key claimed in a transaction that then rolled back, a peer that is
/// forgotten. The one wrong guess is a row someone else inserted (<c>bmpmond import</c> of the same
/// router, a second collector): the COPY then fails on the primary key and the writer forgets every
/// peer and commits the batch again through the upsert. Memory is bounded by
/// <see cref="MaxKeys"/> over all peers; a peer's keys are forgotten at its Peer Down (its next
/// table refreshes rows that exist).
/// </remarks>
internal sealed class FreshPeerRoutes
{
    /// <summary>Remembered keys over all peers: 8 MiB of fingerprints for a full table of 1.25M keys, 32 MiB at most in one peer.</summary>
    public const int MaxKeys = 4 << 20;

    private readonly Dictionary<int, RouteKeySet> _peers = [];
    private int _keys;

    /// <summary>True when some peer is fresh.</summary>
    public bool Any => _peers.Count > 0;

    /// <summary>The writer resolved <paramref name="peerId"/>: fresh when it has no routes, unless known already.</summary>
    public void PeerResolved(int peerId, bool hasRoutes)
    {
        if (hasRoutes)
        {
            Forget(peerId);
        }
        else
        {
            // A set already there stays: it holds what this writer inserted for the peer, none of it committed yet.
            _peers.TryAdd(peerId, new RouteKeySet());
        }
    }

    /// <summary>
    /// True when the key is certainly not in <c>routes</c>: the caller inserts its row with COPY,
    /// and from now on the key counts as inserted. False: the upsert handles it.
    /// </summary>
    public bool TryClaim(int peerId, ReadOnlySpan<byte> key)
    {
        if (!_peers.TryGetValue(peerId, out var keys))
        {
            return false;
        }

        if (_keys >= MaxKeys)
        {
            Forget(peerId);
            return false;
        }

        var hash = default(HashCode);
        hash.AddBytes(key);
        if (!keys.Add((uint)hash.ToHashCode()))
        {
            return false;
        }

        _keys++;
        return true;
    }

    /// <summary>The peer's routes go through the upsert from now on.</summary>
    public void Forget(int peerId)
    {
        if (_peers.Remove(peerId, out var keys))
        {
            _keys -= keys.Count;
        }
    }

    /// <summary>Every peer's routes go through the upsert from now on.</summary>
    public void ForgetAll()
    {
        _peers.Clear();
        _keys = 0;
    }
}
