using System.Buffers.Binary;
using System.Security.Cryptography;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Storage;

/// <summary>
/// The id of a path attribute set in <c>path_attributes</c>: the first 64 bits of a SHA-256 over the
/// canonical attribute bytes (the ASN width, the attribute block without MP_REACH_NLRI and
/// MP_UNREACH_NLRI, which carry NLRI, and the route's next hops). Stable across restarts and
/// daemons, so rows already in the database are recognized (<c>ON CONFLICT DO NOTHING</c>).
/// </summary>
/// <remarks>
/// SHA-256 rather than a fast non-cryptographic hash because the attributes come from remote
/// networks: a collision, which would give a route another route's attributes, costs ~2^32 work to
/// find on purpose instead of seconds. It runs once per UPDATE (plus once per distinct next hop),
/// not per route. Two equal sets whose attributes come in a different order get two ids: harmless.
/// One instance per session thread.
/// </remarks>
public sealed class AttributeSetId
{
    private const int NextHopBytes = 17;

    private readonly byte[] _digest = new byte[32 + (2 * NextHopBytes)];
    private byte[] _scratch = new byte[4096];
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

    /// <summary>Starts a new UPDATE: digests its attribute block.</summary>
    public void Reset(in PathAttributes attributes)
    {
        var raw = attributes.Raw;
        if (_scratch.Length < raw.Length + 1)
        {
            _scratch = new byte[Math.Max(raw.Length + 1, _scratch.Length * 2)];
        }

        var n = 0;
        _scratch[n++] = (byte)(attributes.AsPath.IsPresent ? attributes.AsPath.AsnSize : 0);
        var reader = new PathAttributeReader(raw, 0);
        while (reader.TryRead(out var attribute, out _))
        {
            if (attribute.Type is PathAttributeType.MpReachNlri or PathAttributeType.MpUnreachNlri)
            {
                continue;
            }

            _scratch[n++] = (byte)attribute.Flags;
            _scratch[n++] = attribute.TypeCode;
            BinaryPrimitives.WriteUInt16BigEndian(_scratch.AsSpan(n), (ushort)attribute.Value.Length);
            n += 2;
            if (n + attribute.Value.Length + 4 > _scratch.Length)
            {
                Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, n + attribute.Value.Length + 4));
            }

            attribute.Value.CopyTo(_scratch.AsSpan(n));
            n += attribute.Value.Length;
        }

        SHA256.HashData(_scratch.AsSpan(0, n), _digest);
        _lastId = 0;
    }

    /// <summary>The id for the current UPDATE's attributes with these next hops (never 0).</summary>
    public ulong For(IpAddr nextHop, IpAddr linkLocalNextHop)
    {
        if (_lastId != 0 && nextHop == _lastNextHop && linkLocalNextHop == _lastLinkLocal)
        {
            return _lastId;
        }

        Write(_digest.AsSpan(32), nextHop);
        Write(_digest.AsSpan(32 + NextHopBytes), linkLocalNextHop);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(_digest, hash);
        var id = BinaryPrimitives.ReadUInt64BigEndian(hash);
        _lastId = id == 0 ? 1 : id;
        _lastNextHop = nextHop;
        _lastLinkLocal = linkLocalNextHop;
        return _lastId;
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
