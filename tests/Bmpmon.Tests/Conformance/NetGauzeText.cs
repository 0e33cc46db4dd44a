using System.Buffers.Binary;
using System.Globalization;
using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Tests.Conformance;

/// <summary>
/// Our decoded control messages written in NetGauze's vocabulary (its JSON names), in the compact
/// form of <see cref="NetGauzeContentTests.Canonical"/>. Capabilities go through our own decoders
/// (Add-Path, Graceful Restart, FQDN, Extended Next Hop); LLGR (RFC 9494), which we keep raw, is
/// read from its bytes here. A name missing from the tables below is written as a number, so an
/// unexpected value shows up as a difference instead of being skipped.
/// </summary>
internal static class NetGauzeText
{
    private static readonly Dictionary<string, string> AddressTypes = new(StringComparer.Ordinal)
    {
        ["ipv4-unicast"] = "Ipv4Unicast",
        ["ipv4-multicast"] = "Ipv4Multicast",
        ["ipv4-labeled-unicast"] = "Ipv4NlriMplsLabels",
        ["ipv4-vpn"] = "Ipv4MplsLabeledVpn",
        ["ipv6-unicast"] = "Ipv6Unicast",
        ["ipv6-multicast"] = "Ipv6Multicast",
        ["ipv6-labeled-unicast"] = "Ipv6NlriMplsLabels",
        ["ipv6-vpn"] = "Ipv6MplsLabeledVpn",
        ["l2vpn-evpn"] = "L2VpnBgpEvpn",
    };

    /// <summary>NetGauze's names of the statistics types that occur in its captures (RFC 7854 s4.8).</summary>
    private static readonly Dictionary<ushort, string> Counters = new()
    {
        [1] = "NumberOfDuplicatePrefixAdvertisements",
        [2] = "NumberOfDuplicateWithdraws",
        [4] = "NumberOfUpdatesInvalidatedDueToAsPathLoop",
        [7] = "NumberOfRoutesInAdjRibIn",
        [8] = "NumberOfRoutesInLocRib",
    };

    /// <summary>NetGauze's names of the Cease subcodes (RFC 4486) that occur in its captures.</summary>
    private static readonly Dictionary<byte, string> CeaseSubcodes = new() { [2] = "AdministrativeShutdown", [4] = "AdministrativeReset" };

    private static readonly Dictionary<ushort, string> InformationTypes = new()
    {
        [0] = "String",
        [1] = "SystemDescription",
        [2] = "SystemName",
        [3] = "VrfTableName",
        [4] = "AdminLabel",
    };

    public static string Initiation(InitiationRecord i) => $"Initiation|{Information(i.Tlvs)}";

    public static string PeerUp(PeerUpRecord u)
    {
        var locRib = u.Peer.Type == BmpPeerType.LocRibInstance;
        string Port(ushort port) => locRib ? "null" : port.ToString(CultureInfo.InvariantCulture);
        return $"PeerUp|{Peer(u.Peer)}|local={(u.LocalAddress.HasValue ? u.LocalAddress.ToString() : "null")}:{Port(u.LocalPort)}>{Port(u.RemotePort)}" +
            $"|sent={Open(u.Sent)}|received={Open(u.Received)}|information={Information(u.Information)}";
    }

    public static string PeerDown(PeerDownRecord d)
    {
        var reason = d.Reason switch
        {
            1 => $"{{LocalSystemClosedNotificationPduFollows:{Notification(d)}}}",
            3 => $"{{RemoteSystemClosedNotificationPduFollows:{Notification(d)}}}",
            6 => $"{{LocalSystemClosedTlvDataFollows:{string.Join(",", d.Tlvs.Select(Tlv))}}}",
            _ => $"reason {d.Reason}",
        };
        var trailing = d.Reason is 1 or 3 && d.Tlvs.Count > 0 ? $"|tlvs=[{string.Join(",", d.Tlvs.Select(Tlv))}]" : string.Empty;
        return $"PeerDown|{Peer(d.Peer)}|{reason}{trailing}";
    }

    public static string Statistics(StatisticsRecord r) =>
        $"Statistics|{Peer(r.Peer)}|[{string.Join(",", r.Counters.Select(c => $"{{{Counters.GetValueOrDefault(c.Type, c.Type.ToString(CultureInfo.InvariantCulture))}:{c.Value}}}"))}]";

    private static string Notification(PeerDownRecord d)
    {
        var data = $"{{value:[{string.Join(",", d.Data.Skip(21))}]}}";
        return d.NotificationCode == BgpNotification.Cease && CeaseSubcodes.TryGetValue(d.NotificationSubcode!.Value, out var name)
            ? $"{{Notification:{{CeaseError:{{{name}:{data}}}}}}}"
            : $"{{Notification:{d.NotificationCode}/{d.NotificationSubcode}}}";
    }

    private static string Information(IReadOnlyList<TlvRecord> tlvs) => $"[{string.Join(",", tlvs.Select(Tlv))}]";

    private static string Tlv(TlvRecord t) => $"{{{InformationTypes.GetValueOrDefault(t.Type, t.Type.ToString(CultureInfo.InvariantCulture))}:{t.Text}}}";

    private static string Peer(PeerRecord p)
    {
        var flags = p.Type == BmpPeerType.LocRibInstance
            ? $"{{filtered:{Bool(p.Filtered)}}}"
            : $"{{ipv6:{Bool((p.Flags & PeerFlags.Ipv6) != 0)},post_policy:{Bool((p.Flags & PeerFlags.PostPolicy) != 0)},asn2:{Bool((p.Flags & PeerFlags.LegacyAsPath) != 0)},adj_rib_out:{Bool((p.Flags & PeerFlags.AdjRibOut) != 0)}}}";
        var type = p.Type switch
        {
            BmpPeerType.GlobalInstance => "GlobalInstancePeer",
            BmpPeerType.RdInstance => "RdInstancePeer",
            BmpPeerType.LocRibInstance => "LocRibInstancePeer",
            _ => p.Type.ToString(),
        };
        var rd = p.Type == BmpPeerType.GlobalInstance || p.Distinguisher == 0 ? "null" : Rd(p.Distinguisher);
        return $"{{{type}:{flags}}}|rd={rd}|{(p.Address.HasValue ? p.Address.ToString() : "null")}|as={p.As}|id={p.BgpIdText}|t={p.Seconds}.{p.Microseconds:D6}";
    }

    private static string Rd(ulong value)
    {
        var rd = new Core.Wire.Bgp.Nlri.RouteDistinguisher(value);
        return rd.Type switch
        {
            0 => $"{{As2Administrator:{{asn2:{rd.Administrator},number:{rd.AssignedNumber}}}}}",
            1 => $"{{Ipv4Administrator:{{ip:{Core.Wire.Primitives.IpAddr.FromV4(rd.Administrator)},number:{rd.AssignedNumber}}}}}",
            2 => $"{{As4Administrator:{{asn4:{rd.Administrator},number:{rd.AssignedNumber}}}}}",
            _ => rd.ToString(),
        };
    }

    private static string Open(OpenRecord o) =>
        $"v{o.Version}/{o.MyAs}/{o.HoldTime}/{o.BgpIdText}/[{string.Join(" ", o.Capabilities.Select(c => $"{c.Parameter}:{Capability(c)}"))}]";

    private static string Capability(CapabilityRecord c)
    {
        var capability = new Capability((CapabilityCode)c.Code, c.Value, 0);
        switch ((CapabilityCode)c.Code)
        {
            case CapabilityCode.Multiprotocol when MultiprotocolCapability.TryDecode(capability, out var family, out _):
                return $"{{MultiProtocolExtensions:{{address_type:{AddressType(family)}}}}}";
            case CapabilityCode.RouteRefresh:
            case CapabilityCode.RouteRefreshCisco:
            case CapabilityCode.EnhancedRouteRefresh:
            case CapabilityCode.ExtendedMessage:
                return c.Code == (byte)CapabilityCode.RouteRefreshCisco ? "CiscoRouteRefresh" : ((CapabilityCode)c.Code).ToString();
            case CapabilityCode.FourOctetAs when FourOctetAsCapability.TryDecode(capability, out var asn, out _):
                return $"{{FourOctetAs:{{asn4:{asn}}}}}";
            case CapabilityCode.ExtendedNextHop when ExtendedNextHopCapability.TryDecode(capability, out var nextHop, out _):
                var encodings = new List<string>();
                for (var i = 0; i < nextHop.Count; i++)
                {
                    encodings.Add($"{{address_type:{AddressType(nextHop[i].Family)},next_hop_afi:{(nextHop[i].NextHopAfi == Afi.Ipv6 ? "IPv6" : "IPv4")}}}");
                }

                return $"{{ExtendedNextHopEncoding:{{encodings:[{string.Join(",", encodings)}]}}}}";
            case CapabilityCode.GracefulRestart when GracefulRestartCapability.TryDecode(capability, out var gr, out _):
                var families = new List<string>();
                for (var i = 0; i < gr.Count; i++)
                {
                    families.Add($"{{forwarding_state:{Bool(gr.IsForwardingPreserved(i))},address_type:{AddressType(gr.GetFamily(i))}}}");
                }

                return $"{{GracefulRestartCapability:{{restart:{Bool(gr.RestartState)},graceful_notification:{Bool(gr.SupportsNotification)},time:{gr.RestartTime},address_families:[{string.Join(",", families)}]}}}}";
            case CapabilityCode.AddPath when AddPathCapability.TryDecode(capability, out var addPath, out _):
                var entries = new List<string>();
                for (var i = 0; i < addPath.Count; i++)
                {
                    entries.Add($"{{address_type:{AddressType(addPath[i].Family)},send:{Bool(addPath[i].CanSend)},receive:{Bool(addPath[i].CanReceive)}}}");
                }

                return $"{{AddPath:{{address_families:[{string.Join(",", entries)}]}}}}";
            case CapabilityCode.Fqdn when FqdnCapability.TryDecode(capability, out var fqdn, out _):
                return $"{{Fqdn:{{hostname:{fqdn.Hostname},domain_name:{fqdn.Domain}}}}}";
            case CapabilityCode.LongLivedGracefulRestart when c.Value.Length % 7 == 0:
                // RFC 9494 s3: AFI (2), SAFI (1), flags (1, F = 0x80), Long-lived Stale Time (3) per family.
                var llgr = c.Value.Chunk(7).Select(e =>
                    $"{{forwarding_state:{Bool((e[3] & 0x80) != 0)},address_type:{AddressType(new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(e), (Safi)e[2]))},stale_time:{(e[4] << 16) | (e[5] << 8) | e[6]}}}");
                return $"{{LongLivedGracefulRestart:{{address_families:[{string.Join(",", llgr)}]}}}}";
            default:
                return $"{{Unrecognized:{{code:{c.Code},value:[{string.Join(",", c.Value)}]}}}}";
        }
    }

    private static string AddressType(AfiSafi family) => AddressTypes.GetValueOrDefault(family.Name, family.Name);

    private static string Bool(bool value) => value ? "true" : "false";
}
