using System.Buffers.Binary;

namespace Bmpmon.Core.Storage;

/// <summary>
/// The secret 128-bit key of <see cref="AttributeSetId"/>'s hash. One per database (schema step 8,
/// <c>attribute_id_key</c>, made from the server's strong random source): every daemon and import
/// writing into that database reads it, so they all give a set the same id, and a router that
/// does not know it cannot craft two sets with one id.
/// </summary>
/// <param name="K0">The key's first eight bytes, little-endian.</param>
/// <param name="K1">The key's last eight bytes, little-endian.</param>
public readonly record struct AttributeIdKey(ulong K0, ulong K1)
{
    /// <summary>The key's length in bytes.</summary>
    public const int Size = 16;

    /// <summary>The key stored as <paramref name="bytes"/> (exactly <see cref="Size"/> bytes).</summary>
    public static AttributeIdKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"an attribute id key is {Size} bytes, not {bytes.Length}", nameof(bytes));
        }

        return new(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));
    }

    /// <summary>Never the key itself: it is a secret, and this may end up in a log line or an assertion message.</summary>
    public override string ToString() => "AttributeIdKey { redacted }";
}
