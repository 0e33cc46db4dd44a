namespace Bmpmond.Storage;

/// <summary>
/// A set of 32-bit route key fingerprints, open addressing with linear probing: about 5-11 bytes
/// per key, where a <see cref="HashSet{T}"/> of the keys would take tens. Two keys with one
/// fingerprint look like one; <see cref="FreshPeerRoutes"/> only ever reads a hit as "maybe in
/// the database", which is always safe.
/// </summary>
internal sealed class RouteKeySet
{
    private const int InitialCapacity = 1024;

    private uint[] _slots = new uint[InitialCapacity];

    /// <summary>The fingerprints held.</summary>
    public int Count { get; private set; }

    /// <summary>Adds <paramref name="fingerprint"/>; false when it was there already.</summary>
    public bool Add(uint fingerprint)
    {
        // 0 marks an empty slot.
        fingerprint = fingerprint == 0 ? 1 : fingerprint;
        if ((Count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
        }

        if (!Insert(_slots, fingerprint))
        {
            return false;
        }

        Count++;
        return true;
    }

    private static bool Insert(uint[] slots, uint fingerprint)
    {
        var mask = slots.Length - 1;

        // The fingerprint's low bits pick the slot; it is already a hash, mixed once more so runs stay short.
        var i = (int)((fingerprint * 0x9E3779B97F4A7C15UL) >> 32) & mask;
        while (true)
        {
            var slot = slots[i];
            if (slot == fingerprint)
            {
                return false;
            }

            if (slot == 0)
            {
                slots[i] = fingerprint;
                return true;
            }

            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var slots = new uint[_slots.Length * 2];
        foreach (var fingerprint in _slots)
        {
            if (fingerprint != 0)
            {
                Insert(slots, fingerprint);
            }
        }

        _slots = slots;
    }
}
