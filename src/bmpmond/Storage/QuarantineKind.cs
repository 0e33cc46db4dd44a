using System.Globalization;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Bmpmond.Output;

namespace Bmpmond.Storage;

/// <summary>The <c>bmp_quarantine.kind</c> values and the reason text of a quarantined message.</summary>
internal static class QuarantineKind
{
    /// <summary>A framed message whose body did not decode; the stream went on.</summary>
    public const string Malformed = "malformed";

    /// <summary>A common header that could not be read (unknown version, impossible length): the session was closed.</summary>
    public const string FramingLost = "framing_lost";

    /// <summary>The stream ended inside a message.</summary>
    public const string Truncated = "truncated";

    /// <summary>"route_monitoring: bad_length in MP_REACH_NLRI at offset 71": the message type, the error and where.</summary>
    public static string Reason(BmpMessageType type, in DecodeError error) =>
        string.Create(CultureInfo.InvariantCulture, $"{MessageJson.TypeName(type)}: {error.Reason} in {error.Where} at offset {error.Offset}");
}
