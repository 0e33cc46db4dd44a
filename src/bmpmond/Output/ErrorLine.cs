using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmond.Output;

/// <summary>The one-line report of a malformed message on standard error: where, what and the first bytes.</summary>
internal static class ErrorLine
{
    private const int HexBytes = 64;

    public static void Write(TextWriter errors, string router, in BmpMessage message, in DecodeError error)
    {
        var head = message.Bytes[..Math.Min(HexBytes, message.Bytes.Length)];
        errors.WriteLine(
            $"bmpmond decode: {router}: {message.Header.Type} message at stream offset {message.StreamOffset}: {error.Reason} in {error.Where} at message offset {error.Offset}; first bytes {Convert.ToHexStringLower(head)}");
    }
}
