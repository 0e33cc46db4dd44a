using System.Text.Json;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmond.Output;

/// <summary>The bodies of the BMP messages other than Route Monitoring, as JSON fields of the message's line.</summary>
internal static class MessageJson
{
    public static string TypeName(BmpMessageType type) => type switch
    {
        BmpMessageType.RouteMonitoring => "route_monitoring",
        BmpMessageType.StatisticsReport => "statistics_report",
        BmpMessageType.PeerDownNotification => "peer_down",
        BmpMessageType.PeerUpNotification => "peer_up",
        BmpMessageType.Initiation => "initiation",
        BmpMessageType.Termination => "termination",
        BmpMessageType.RouteMirroring => "route_mirroring",
        _ => "unknown",
    };

    public static void WriteInitiation(Utf8JsonWriter json, in InitiationMessage initiation) =>
        WriteTlvs(json, "tlvs", initiation.GetTlvs(), static type => ((InitiationTlvType)type).ToString());

    public static void WriteTermination(Utf8JsonWriter json, in TerminationMessage termination)
    {
        if (termination.TryGetReason(out var reason))
        {
            json.WriteNumber("reason", (ushort)reason);
            json.WriteString("reason_text", TerminationMessage.ReasonName(reason));
        }

        WriteTlvs(json, "tlvs", termination.GetTlvs(), static type => ((TerminationTlvType)type).ToString());
    }

    public static void WritePeerUp(Utf8JsonWriter json, in PeerUpNotification peerUp, PeerState peer)
    {
        PeerJson.WriteFields(json, peerUp.Peer);
        RouteJson.WriteIfSet(json, "local_address", peerUp.LocalAddress);
        json.WriteNumber("local_port", peerUp.LocalPort);
        json.WriteNumber("remote_port", peerUp.RemotePort);
        WriteOpen(json, "sent_open", peerUp.SentOpen);
        WriteOpen(json, "received_open", peerUp.ReceivedOpen);
        if (peer.Capabilities is { } negotiated)
        {
            WriteNegotiated(json, negotiated);
        }

        WriteTlvs(json, "information", peerUp.GetInformationTlvs(), static type => ((PeerUpTlvType)type).ToString());
    }

    public static void WritePeerDown(Utf8JsonWriter json, in PeerDownNotification peerDown)
    {
        PeerJson.WriteFields(json, peerDown.Peer);
        json.WriteNumber("reason", (byte)peerDown.Reason);
        json.WriteString("reason_text", PeerDownNotification.ReasonText(peerDown.Reason));
        if (peerDown.HasNotification)
        {
            var notification = peerDown.Notification;
            json.WriteStartObject("notification");
            json.WriteNumber("code", notification.ErrorCode);
            json.WriteNumber("subcode", notification.ErrorSubcode);
            json.WriteString("text", notification.ErrorText);
            if (notification.ShutdownCommunicationText is { } shutdown)
            {
                json.WriteString("shutdown_communication", shutdown);
            }
            else if (!notification.Data.IsEmpty)
            {
                json.WriteString("data", Convert.ToHexStringLower(notification.Data));
            }

            json.WriteEndObject();
        }

        if (peerDown.HasFsmEventCode)
        {
            json.WriteNumber("fsm_event_code", peerDown.FsmEventCode);
        }

        if (!peerDown.Tlvs.IsEmpty)
        {
            WriteTlvs(json, "tlvs", peerDown.GetTlvs(), static type => ((PeerUpTlvType)type).ToString());
        }
    }

    public static void WriteStatistics(Utf8JsonWriter json, in StatisticsReport report)
    {
        PeerJson.WriteFields(json, report.Peer);
        json.WriteNumber("count", report.Count);
        json.WriteStartArray("stats");
        var tlvs = report.GetTlvs();
        while (tlvs.TryRead(out var tlv, out _))
        {
            json.WriteStartObject();
            json.WriteNumber("type", (ushort)tlv.Type);
            json.WriteString("name", tlv.Type.ToString());
            switch (tlv.Kind)
            {
                case StatisticsValueKind.Raw:
                    json.WriteString("raw", Convert.ToHexStringLower(tlv.RawValue));
                    break;
                case StatisticsValueKind.PerAfiSafiGauge64:
                    json.WriteString("family", tlv.Family.Name);
                    json.WriteNumber("value", tlv.Value);
                    break;
                default:
                    json.WriteNumber("value", tlv.Value);
                    break;
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    public static void WriteRouteMirroring(Utf8JsonWriter json, in RouteMirroringMessage mirroring)
    {
        PeerJson.WriteFields(json, mirroring.Peer);
        WriteTlvs(json, "tlvs", mirroring.GetTlvs(), static type => ((RouteMirroringTlvType)type).ToString());
    }

    /// <summary>v4 TLVs (VRF/table name, path status, group), or the bytes some exporters put after the v3 UPDATE.</summary>
    public static void WriteRouteMonitoringTlvs(Utf8JsonWriter json, in RouteMonitoringMessage routeMonitoring)
    {
        if (routeMonitoring.Tlvs.IsEmpty)
        {
            return;
        }

        if (routeMonitoring.Version == BmpCommonHeader.Version3)
        {
            json.WriteString("trailing_hex", Convert.ToHexStringLower(routeMonitoring.Tlvs));
            return;
        }

        WriteTlvs(json, "tlvs", routeMonitoring.GetTlvs(), static type => ((RouteMonitoringTlvType)type).ToString());
    }

    private static void WriteOpen(Utf8JsonWriter json, string name, in BgpOpenMessage open)
    {
        json.WriteStartObject(name);
        json.WriteNumber("version", open.Version);
        json.WriteNumber("my_as", open.MyAs);
        json.WriteNumber("asn", open.FourOctetAs);
        json.WriteNumber("hold_time", open.HoldTime);
        json.WriteString("bgp_id", IpAddr.FromV4(open.BgpId).ToString());
        json.WriteStartArray("capabilities");
        var capabilities = open.GetCapabilities();
        while (capabilities.TryRead(out var capability, out _))
        {
            json.WriteStartObject();
            json.WriteNumber("code", (byte)capability.Code);
            json.WriteString("name", capability.Code.ToString());
            json.WriteString("value", Convert.ToHexStringLower(capability.Value));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNegotiated(Utf8JsonWriter json, PeerCapabilities negotiated)
    {
        json.WritePropertyName("negotiated");
        WriteNegotiatedValue(json, negotiated);
    }

    /// <summary>The capabilities both OPENs negotiated, as one JSON object (also the <c>capabilities</c> field of the <c>peer_up</c> log line).</summary>
    public static void WriteNegotiatedValue(Utf8JsonWriter json, PeerCapabilities negotiated)
    {
        json.WriteStartObject();
        json.WriteBoolean("four_octet_as", negotiated.FourOctetAs);
        WriteFamilies(json, "families", negotiated.Families);
        WriteFamilies(json, "add_path_adj_rib_in", negotiated.AddPathAdjRibIn);
        WriteFamilies(json, "add_path_adj_rib_out", negotiated.AddPathAdjRibOut);
        json.WriteBoolean("route_refresh", negotiated.RouteRefresh);
        json.WriteBoolean("graceful_restart", negotiated.GracefulRestart);
        if (negotiated.Fqdn is { } fqdn)
        {
            json.WriteString("peer_fqdn", fqdn);
        }

        json.WriteEndObject();
    }

    private static void WriteFamilies(Utf8JsonWriter json, string name, IReadOnlyList<AfiSafi> families)
    {
        json.WriteStartArray(name);
        foreach (var family in families)
        {
            json.WriteStringValue(family.Name);
        }

        json.WriteEndArray();
    }

    private static void WriteTlvs(Utf8JsonWriter json, string name, BmpTlvReader tlvs, Func<ushort, string> typeName)
    {
        json.WriteStartArray(name);
        while (tlvs.TryRead(out var tlv, out _))
        {
            json.WriteStartObject();
            json.WriteNumber("type", tlv.Type);
            json.WriteString("name", typeName(tlv.Type));
            if (tlv.HasIndex)
            {
                json.WriteNumber("index", tlv.Index);
            }

            if (IsText(tlv.Value))
            {
                json.WriteString("value", tlv.ValueAsString());
            }
            else
            {
                json.WriteString("hex", Convert.ToHexStringLower(tlv.Value));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>TLV values are UTF-8 text for most types; binary ones (BGP messages, codes) are written as hex.</summary>
    private static bool IsText(ReadOnlySpan<byte> value) =>
        !value.IsEmpty && System.Text.Unicode.Utf8.IsValid(value) && value.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0;
}
