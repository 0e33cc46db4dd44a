using System.Buffers.Binary;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Storage;

/// <summary>
/// The id of a path attribute set in <c>path_attributes</c>: SipHash-2-4 under the database's
/// secret key (<see cref="AttributeIdKey"/>) of the canonical attribute bytes: the ASN width, the
/// attribute block without MP_REACH_NLRI and MP_UNREACH_NLRI, which carry NLRI, and the route's
/// next hops. Stable across restarts and daemons that share the database, so rows already in it
/// are recognized (<c>ON CONFLICT DO NOTHING</c>).
/// </summary>
/// <remarks>
/// The attributes come from remote networks, and a collision would give a route another route's
/// attributes: a keyed pseudorandom function, so nobody without the key can make one on purpose
/// (a truncated SHA-256, used before, costs only ~2^32 work to collide, and ~800 ns per call
/// through the crypto library: a quarter of the daemon's CPU on a full table of one-route
/// UPDATEs, against ~50 ns). It runs once per UPDATE and distinct next hop, not per route. Two
/// equal sets whose attributes come in a different order get two ids: harmless. One instance per
/// session thread.
/// </remarks>
public sealed class AttributeSetId(AttributeIdKey key)
{
    /// <summary>A next hop in the digest: its family (4, 6 or 0 for none) and 16 address bytes.</summary>
    private const int NextHopBytes = 17;

    private byte[] _scratch = new byte[4096];
    private int _length;
    private IpAddr _lastNextHop;
    private IpAddr _lastLinkLocal;
    private ulong _lastId;

    /// <summary>The attributes <c>path_attributes</c> holds in columns; any other goes to <c>other_attributes</c> raw.</summary>
    public static bool IsDecoded(PathAttributeType type) => type is PathAttributeType.Origin or PathAttributeType.AsPath
        or PathAttributeType.NextHop or PathAttributeType.MultiExitDisc or PathAttributeType.LocalPref
        or PathAttributeType.AtomicAggregate or PathAttributeType.Aggregator or PathAttributeType.Communities
        or PathAttributeType.OriginatorId or PathAttributeType.ClusterList or PathAttributeType.MpReachNlri
        or PathAttributeType.MpUnreachNlri or PathAttributeType.ExtendedCommunities or PathAttributeType.As4Path
        or PathAttributeType.As4Aggregator or PathAttributeType.LargeCommunities;

    /// <summary>Starts a new UPDATE: keeps its canonical attribute bytes, with room for the next hops after them.</summary>
    public void Reset(in PathAttributes attributes)
    {
        var raw = attributes.Raw;
        Reserve(raw.Length + 1);
        var n = 0;
        _scratch[n++] = (byte)(attributes.AsPath.IsPresent ? attributes.AsPath.AsnSize : 0);
        var reader = new PathAttributeReader(raw, 0);
        while (reader.TryRead(out var attribute, out _))
        {
            if (attribute.Type is PathAttributeType.MpReachNlri or PathAttributeType.MpUnreachNlri)
            {
                continue;
            }

            Reserve(n + 4 + attribute.Value.Length);
            _scratch[n++] = (byte)attribute.Flags;
            _scratch[n++] = attribute.TypeCode;
            BinaryPrimitives.WriteUInt16BigEndian(_scratch.AsSpan(n), (ushort)attribute.Value.Length);
            n += 2;
            attribute.Value.CopyTo(_scratch.AsSpan(n));
            n += attribute.Value.Length;
        }

        _length = n;
        _lastId = 0;
    }

    /// <summary>The id for the current UPDATE's attributes with these next hops (never 0).</summary>
    public ulong For(IpAddr nextHop, IpAddr linkLocalNextHop)
    {
        if (_lastId != 0 && nextHop == _lastNextHop && linkLocalNextHop == _lastLinkLocal)
        {
            return _lastId;
        }

        Reserve(_length + (2 * NextHopBytes));
        var digest = _scratch.AsSpan(0, _length + (2 * NextHopBytes));
        Write(digest.Slice(_length, NextHopBytes), nextHop);
        Write(digest.Slice(_length + NextHopBytes, NextHopBytes), linkLocalNextHop);
        var id = SipHash.Hash24(key.K0, key.K1, digest);
        _lastId = id == 0 ? 1 : id;
        _lastNextHop = nextHop;
        _lastLinkLocal = linkLocalNextHop;
        return _lastId;
    }

    private void Reserve(int length)
    {
        if (_scratch.Length < length)
        {
            Array.Resize(ref _scratch, Math.Max(length, _scratch.Length * 2));
        }
    }

    private static void Write(Span<byte> destination, IpAddr address)
    {
        destination.Clear();
        if (address.HasValue)
        {
            destination[0] = address.IsV6 ? (byte)6 : (byte)4;
            address.WriteBytes(destination[1..]);
        }
    }
}

/// <summary>
/// A bounded "already sent" set of attribute ids: a direct-mapped table, so it never grows and
/// never allocates. A miss only costs sending the set again (the database ignores the duplicate).
/// </summary>
public sealed class RecentIdSet(int capacityPowerOfTwo)
{
    private readonly ulong[] _slots = new ulong[1 << capacityPowerOfTwo];

    /// <summary>True when <paramref name="id"/> was added recently; otherwise adds it and returns false.</summary>
    public bool CheckAndAdd(ulong id)
    {
        ref var slot = ref _slots[(int)(id & (ulong)(_slots.Length - 1))];
        if (slot == id)
        {
            return true;
        }

        slot = id;
        return false;
    }

    /// <summary>True when <paramref name="id"/> was added recently (no change).</summary>
    public bool Contains(ulong id) => _slots[(int)(id & (ulong)(_slots.Length - 1))] == id;

    /// <summary>Forgets everything (after a failed write the database may have lost what was sent).</summary>
    public void Clear() => Array.Clear(_slots);
}
