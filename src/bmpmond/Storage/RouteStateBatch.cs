using System.Runtime.InteropServices;

namespace Bmpmond.Storage;

/// <summary>
/// What one batch does to each route key, computed in the daemon while the rows are COPYed into
/// route_updates, so the current-state upsert is a plain join of one staged row per key: the
/// first and the last row of the key, the announced/withdrawn transitions inside the batch, when
/// the route last changed and when it was last withdrawn inside it. The batch is cut into parts at
/// every Peer Up, Peer Down and End-of-RIB that follows routes (<see cref="EndPart"/>): each part is upserted before it.
/// </summary>
internal sealed class RouteStateBatch
{
    private readonly KeyComparer _comparer = new();
    private readonly Dictionary<KeyRef, int> _index;
    private readonly List<int> _partEnds = [];
    private KeyState[] _keys = new KeyState[1024];
    private int _count;
    private int _partStart;

    public RouteStateBatch() => _index = new Dictionary<KeyRef, int>(_comparer);

    /// <summary>The parts so far.</summary>
    public int Parts => _partEnds.Count;

    /// <summary>Forgets everything; keys are compared in <paramref name="buffer"/> from now on.</summary>
    public void Reset(byte[] buffer)
    {
        _comparer.Buffer = buffer;
        _index.Clear();
        _partEnds.Clear();
        _count = 0;
        _partStart = 0;
    }

    /// <summary>The next row of the batch, in order; <paramref name="record"/> is where its record starts.</summary>
    public void Add(int routerId, int peerId, in RouteRecord r, int record)
    {
        var withdrawn = r.Is(Bmpmon.Core.Storage.StorageRowWriter.Withdrawn);
        var attributes = withdrawn ? 0 : r.AttributesId;
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, new KeyRef(peerId, r.Key.Offset, r.Key.Length), out var exists);
        if (!exists)
        {
            slot = _count;
            if (_count == _keys.Length)
            {
                Array.Resize(ref _keys, _keys.Length * 2);
            }

            _keys[_count++] = new KeyState
            {
                RouterId = routerId,
                PeerId = peerId,
                Record = record,
                FirstTime = r.Time,
                FirstWithdrawn = withdrawn,
                FirstAttributes = attributes,
                LastTime = r.Time,
                LastWithdrawn = withdrawn,
                LastAttributes = attributes,
                PreviousAttributes = attributes,
                InnerChange = long.MinValue,
                InnerWithdrawnStart = long.MinValue,
            };
            return;
        }

        ref var k = ref _keys[slot];
        if (k.LastWithdrawn != withdrawn)
        {
            k.InnerChurn++;
        }

        if (k.LastWithdrawn != withdrawn || (!withdrawn && k.PreviousAttributes != attributes))
        {
            k.InnerChange = r.Time;
        }

        if (withdrawn && !k.LastWithdrawn)
        {
            k.InnerWithdrawnStart = r.Time;
        }

        if (!withdrawn)
        {
            k.LastAttributes = attributes;
        }

        k.LastTime = r.Time;
        k.LastWithdrawn = withdrawn;
        k.PreviousAttributes = attributes;
        k.Record = record;
    }

    /// <summary>Closes the current part (at a Peer Up, Peer Down or End-of-RIB) when it holds rows; a key seen again later starts afresh.</summary>
    public void EndPart()
    {
        if (_count > _partStart)
        {
            _partEnds.Add(_count);
            _partStart = _count;
            _index.Clear();
        }
    }

    /// <summary>The keys of part <paramref name="part"/>.</summary>
    public ReadOnlySpan<KeyState> Part(int part) =>
        _keys.AsSpan((part == 0 ? 0 : _partEnds[part - 1])..(_partEnds[part]));

    /// <summary>One route key's effect in the batch (times in µs since the epoch, attribute ids 0 for none).</summary>
    internal struct KeyState
    {
        public int RouterId;
        public int PeerId;

        /// <summary>Offset of the key's last route record in the buffer (its NLRI, labels).</summary>
        public int Record;
        public long FirstTime;
        public bool FirstWithdrawn;
        public ulong FirstAttributes;
        public long LastTime;
        public bool LastWithdrawn;

        /// <summary>The attributes of the last announcement in the batch.</summary>
        public ulong LastAttributes;
        public ulong PreviousAttributes;
        public long InnerChurn;

        /// <summary>long.MinValue: none.</summary>
        public long InnerChange;

        /// <summary>long.MinValue: none.</summary>
        public long InnerWithdrawnStart;
    }

    private readonly record struct KeyRef(int PeerId, int Offset, int Length);

    /// <summary>Compares route keys by their bytes in the batch buffer.</summary>
    private sealed class KeyComparer : IEqualityComparer<KeyRef>
    {
        public byte[] Buffer { get; set; } = [];

        public bool Equals(KeyRef x, KeyRef y) =>
            x.PeerId == y.PeerId && Buffer.AsSpan(x.Offset, x.Length).SequenceEqual(Buffer.AsSpan(y.Offset, y.Length));

        public int GetHashCode(KeyRef key)
        {
            var hash = default(HashCode);
            hash.Add(key.PeerId);
            hash.AddBytes(Buffer.AsSpan(key.Offset, key.Length));
            return hash.ToHashCode();
        }
    }
}
