using System.Text.Json;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmond.Output;

/// <summary>Writes a <see cref="DecodeSummary"/> as the one JSON object <c>bmpmond decode --summary</c> promises (keys fixed, so scripts can rely on them).</summary>
internal static class SummaryJson
{
    private static readonly (string Key, BmpMessageType Type)[] MessageKeys =
    [
        ("route_monitoring", BmpMessageType.RouteMonitoring),
        ("statistics_report", BmpMessageType.StatisticsReport),
        ("peer_down", BmpMessageType.PeerDownNotification),
        ("peer_up", BmpMessageType.PeerUpNotification),
        ("initiation", BmpMessageType.Initiation),
        ("termination", BmpMessageType.Termination),
        ("route_mirroring", BmpMessageType.RouteMirroring),
    ];

    public static void Write(Utf8JsonWriter json, DecodeSummary summary)
    {
        json.WriteStartObject();
        json.WriteNumber("files", summary.Files);
        json.WriteStartObject("messages");
        foreach (var (key, type) in MessageKeys)
        {
            json.WriteNumber(key, summary.Messages(type));
        }

        json.WriteEndObject();
        json.WriteStartObject("nlri");
        foreach (var (family, count) in summary.Nlri.OrderBy(kv => kv.Key.Name, StringComparer.Ordinal))
        {
            WriteCount(json, family.Name, count);
        }

        json.WriteEndObject();
        json.WriteStartObject("by_rib");
        foreach (var rib in summary.ByRib.GroupBy(kv => kv.Key.Rib).OrderBy(g => g.Key))
        {
            json.WriteStartObject(rib.Key.Name());
            foreach (var (key, count) in rib.OrderBy(kv => kv.Key.Family.Name, StringComparer.Ordinal))
            {
                WriteCount(json, key.Family.Name, count);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteNumber("end_of_rib", summary.EndOfRib);
        json.WriteNumber("addpath_fallbacks", summary.AddPathFallbacks);
        json.WriteStartObject("errors");
        foreach (var (reason, n) in summary.Errors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(reason, n);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCount(Utf8JsonWriter json, string name, NlriCount count)
    {
        json.WriteStartObject(name);
        json.WriteNumber("announced", count.Announced);
        json.WriteNumber("withdrawn", count.Withdrawn);
        json.WriteEndObject();
    }
}
