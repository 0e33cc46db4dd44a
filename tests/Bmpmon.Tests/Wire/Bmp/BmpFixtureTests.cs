using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Wire.Bmp;

/// <summary>Every real message of every capture decodes (their content is held against the oracles in Conformance/OracleControlMessageTests).</summary>
public sealed class BmpFixtureTests(ITestOutputHelper output)
{
    [FixtureFact]
    public void Every_message_of_every_capture_parses()
    {
        var root = Fixtures.RequireRoot();

        var counts = new Dictionary<BmpMessageType, int>();
        var failures = new List<string>();
        foreach (var file in FixtureStreams.RawFiles(root))
        {
            foreach (var (offset, message) in FixtureStreams.Messages(file))
            {
                var type = (BmpMessageType)message[5];
                if (!TryParse(type, message, out var error))
                {
                    failures.Add($"{Path.GetFileName(file)} @{offset} {type}: {error}");
                }

                counts[type] = counts.GetValueOrDefault(type) + 1;
            }
        }

        foreach (var (type, count) in counts)
        {
            output.WriteLine($"{type}: {count}");
        }

        Assert.True(counts.GetValueOrDefault(BmpMessageType.RouteMonitoring) > 10000);
        Assert.True(counts.GetValueOrDefault(BmpMessageType.PeerUpNotification) > 300);
        Assert.Empty(failures);
    }

    private static bool TryParse(BmpMessageType type, byte[] message, out DecodeError error)
    {
        error = default;
        switch (type)
        {
            case BmpMessageType.RouteMonitoring:
                if (!RouteMonitoringMessage.TryParse(message, out var rm, out error))
                {
                    return false;
                }

                Assert.Equal(BgpMessageType.Update, (BgpMessageType)rm.BgpMessage[18]);
                if (rm.TlvsHaveIndex)
                {
                    var tlvs = rm.GetTlvs();
                    while (tlvs.TryRead(out var tlv, out error))
                    {
                        Assert.NotEqual((ushort)RouteMonitoringTlvType.BgpMessage, tlv.Type);
                    }

                    return !error.IsError;
                }

                return true;
            case BmpMessageType.StatisticsReport:
                if (!StatisticsReport.TryParse(message, out var stats, out error))
                {
                    return false;
                }

                var reader = stats.GetTlvs();
                var n = 0u;
                while (reader.TryRead(out _, out error))
                {
                    n++;
                }

                Assert.Equal(stats.Count, n);
                return !error.IsError;
            case BmpMessageType.PeerDownNotification:
                if (!PeerDownNotification.TryParse(message, out var down, out error))
                {
                    return false;
                }

                error = down.DataError;
                return !error.IsError;
            case BmpMessageType.PeerUpNotification:
                if (!PeerUpNotification.TryParse(message, out var up, out error))
                {
                    return false;
                }

                _ = PeerCapabilities.FromOpens(up.SentOpen, up.ReceivedOpen, up.Peer.IsLocRib);
                return true;
            case BmpMessageType.Initiation:
                return InitiationMessage.TryParse(message, out _, out error);
            case BmpMessageType.Termination:
                return TerminationMessage.TryParse(message, out _, out error);
            case BmpMessageType.RouteMirroring:
                return RouteMirroringMessage.TryParse(message, out _, out error);
            default:
                // Type 100 (draft-xu-grow-bmp-route-policy-attr-trace) in traffic-reproducer: not ours.
                return true;
        }
    }
}
