using System.Text;
using System.Text.Json;
using Bmpmon.Tests.Conformance;
using Bmpmond;

namespace Bmpmon.Tests.Commands;

/// <summary><c>bmpmond decode</c> as operators and scripts use it: its three output modes, its exit codes and its error lines.</summary>
public sealed class DecodeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bmpmond-decode-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [FixtureFact]
    public void Summary_has_the_promised_keys_and_agrees_with_the_oracle()
    {
        var root = Fixtures.RequireRoot();

        var capture = Path.Combine(root, "netgauze", "evpn__evpn.pcap");
        var (code, stdout, stderr) = Run("decode", "--summary", capture);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        using var summary = JsonDocument.Parse(stdout);
        var s = summary.RootElement;
        Assert.Equal(["files", "messages", "nlri", "by_rib", "end_of_rib", "addpath_fallbacks", "errors"], s.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["route_monitoring", "statistics_report", "peer_down", "peer_up", "initiation", "termination", "route_mirroring"],
            s.GetProperty("messages").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, s.GetProperty("files").GetInt32());
        Assert.Equal(143, s.GetProperty("messages").GetProperty("route_monitoring").GetInt32());
        Assert.Equal(86, s.GetProperty("nlri").GetProperty("ipv4-vpn").GetProperty("announced").GetInt32());
        Assert.Equal(1, s.GetProperty("nlri").GetProperty("ipv6-vpn").GetProperty("withdrawn").GetInt32());
        Assert.Equal(2, s.GetProperty("nlri").GetProperty("l2vpn-evpn").GetProperty("announced").GetInt32());
        Assert.Equal(86, s.GetProperty("by_rib").GetProperty("pre-policy").GetProperty("ipv4-vpn").GetProperty("announced").GetInt32());
        Assert.Equal(4, s.GetProperty("end_of_rib").GetInt32());
    }

    [FixtureFact]
    public void Routes_mode_writes_one_object_per_route_with_its_attributes()
    {
        var root = Fixtures.RequireRoot();

        var (code, stdout, _) = Run("decode", "--routes", Path.Combine(root, "netgauze", "evpn__evpn.pcap"));

        Assert.Equal(0, code);
        var routes = Lines(stdout);
        Assert.Equal(86 + 55 + 1 + 2, routes.Count);
        var evpn = routes.Where(r => r.GetProperty("family").GetString() == "l2vpn-evpn").ToList();
        Assert.Equal(2, evpn.Count);
        Assert.All(evpn, r => Assert.Equal(1, r.GetProperty("evpn_route_type").GetInt32()));
        Assert.All(evpn, r => Assert.Equal(513u, r.GetProperty("ethernet_tag").GetUInt32()));
        Assert.All(evpn, r => Assert.Single(r.EnumerateObject(), p => p.Name == "rd"));
        var vpn = routes.First(r => r.GetProperty("family").GetString() == "ipv4-vpn");
        Assert.Equal("announce", vpn.GetProperty("action").GetString());
        Assert.True(vpn.TryGetProperty("rd", out _));
        Assert.True(vpn.TryGetProperty("labels", out _));
        Assert.True(vpn.TryGetProperty("next_hop", out _));
        Assert.True(vpn.TryGetProperty("as_path", out _));
        Assert.Single(routes, r => r.GetProperty("action").GetString() == "withdraw");
    }

    [FixtureFact]
    public void Message_mode_writes_one_object_per_bmp_message()
    {
        var root = Fixtures.RequireRoot();

        var (code, stdout, _) = Run("decode", Path.Combine(root, "netgauze", "evpn__evpn.pcap"));

        Assert.Equal(0, code);
        var messages = Lines(stdout);
        Assert.Equal(156, messages.Count);
        var peerUp = messages.First(m => m.GetProperty("type").GetString() == "peer_up");
        Assert.True(peerUp.GetProperty("sent_open").GetProperty("capabilities").GetArrayLength() > 0);
        Assert.True(peerUp.GetProperty("negotiated").GetProperty("four_octet_as").GetBoolean());
        var peerDown = messages.First(m => m.GetProperty("type").GetString() == "peer_down");
        Assert.Equal(6, peerDown.GetProperty("notification").GetProperty("code").GetInt32());
        var stats = messages.First(m => m.GetProperty("type").GetString() == "statistics_report");
        Assert.True(stats.GetProperty("stats").GetArrayLength() > 0);
    }

    [Fact]
    public void Missing_file_is_one_line_naming_it_and_exit_1_with_the_summary_still_printed()
    {
        var missing = Path.Combine(_folder, "nope.pcap");
        var (code, stdout, stderr) = Run("decode", "--summary", missing);

        Assert.Equal(1, code);
        Assert.Contains(missing, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(1, JsonDocument.Parse(stdout).RootElement.GetProperty("errors").GetProperty("unreadable_file").GetInt32());
    }

    [Fact]
    public void Not_a_capture_loses_framing_at_offset_0_and_names_the_file()
    {
        var text = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(text, "this is not BMP\n");
        var (code, stdout, stderr) = Run("decode", "--summary", text);

        Assert.Equal(1, code);
        Assert.Contains(text, stderr);
        Assert.Contains("bad_version", stderr);
        Assert.Contains("stream offset 0", stderr);
        Assert.Equal(1, JsonDocument.Parse(stdout).RootElement.GetProperty("errors").GetProperty("bad_version").GetInt32());
    }

    [FixtureFact]
    public void Truncated_file_reports_the_offset_and_keeps_the_counts_of_what_came_before()
    {
        var root = Fixtures.RequireRoot();

        var stream = File.ReadAllBytes(Path.Combine(root, "bmp_play", "bmp.dump"));
        var cut = Path.Combine(_folder, "cut.bmp");
        File.WriteAllBytes(cut, stream[..(stream.Length / 2)]);
        var (code, stdout, stderr) = Run("decode", "--summary", cut);

        Assert.Equal(1, code);
        Assert.Contains(cut, stderr);
        Assert.Contains("truncated", stderr);
        Assert.Matches(@"stream offset \d+", stderr);
        var summary = JsonDocument.Parse(stdout).RootElement;
        Assert.True(summary.GetProperty("messages").GetProperty("route_monitoring").GetInt32() > 100);
        Assert.Equal(1, summary.GetProperty("errors").GetProperty("truncated").GetInt32());
    }

    [FixtureFact]
    public void Truncated_pcap_is_reported_with_its_file_offset()
    {
        var root = Fixtures.RequireRoot();

        var pcap = File.ReadAllBytes(Path.Combine(root, "netgauze", "evpn__evpn.pcap"));
        var cut = Path.Combine(_folder, "cut.pcap");
        File.WriteAllBytes(cut, pcap[..(pcap.Length - 100)]);
        var (code, stdout, stderr) = Run("decode", "--summary", cut);

        Assert.Equal(1, code);
        Assert.Matches(@"cut\.pcap: Pcap capture damaged at file offset \d+", stderr);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("messages").GetProperty("route_monitoring").GetInt32() > 0);
    }

    [FixtureFact]
    public void Port_option_selects_the_streams()
    {
        var root = Fixtures.RequireRoot();
        var capture = Path.Combine(root, "netgauze", "evpn__evpn.pcap");

        // The capture's BMP streams go to port 1790 (the oracle's tcp_streams): given, it decodes them all.
        var (code, stdout, stderr) = Run("decode", "--summary", "--port", "1790", capture);
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        var expected = OracleExpectation.Read(root, Path.Combine("netgauze", "evpn__evpn.pcap"));
        var s = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(expected.MessagesByType[0], s.GetProperty("messages").GetProperty("route_monitoring").GetInt64());
        Assert.Equal(expected.MessagesByType[3], s.GetProperty("messages").GetProperty("peer_up").GetInt64());
        Assert.All(expected.Nlri, kv => Assert.Equal(kv.Value.Announced, s.GetProperty("nlri").GetProperty(kv.Key).GetProperty("announced").GetInt64()));
        Assert.Equal(expected.EndOfRib, s.GetProperty("end_of_rib").GetInt64());

        // Any other port: no BMP stream.
        (code, stdout, stderr) = Run("decode", "--summary", "--port", "9", capture);
        Assert.Equal(0, code);
        Assert.Contains("no BMP stream", stderr);
        Assert.Equal(0, JsonDocument.Parse(stdout).RootElement.GetProperty("messages").GetProperty("route_monitoring").GetInt32());
    }

    [FixtureFact]
    public void Pcapng_capture_decodes_from_the_command_line_as_the_oracle_says()
    {
        var root = Fixtures.RequireRoot();
        const string capture = "netgauze/pcap-reader__data__bmp.pcapng";
        var (code, stdout, stderr) = Run("decode", "--summary", Path.Combine(root, capture));

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        var expected = OracleExpectation.Read(root, capture);
        var s = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1, s.GetProperty("files").GetInt32());
        Assert.Equal(expected.MessagesByType.Take(7).Sum(), s.GetProperty("messages").EnumerateObject().Sum(m => m.Value.GetInt64()));
        Assert.True(expected.Nlri.Count > 0);
        Assert.All(expected.Nlri, kv =>
        {
            var family = s.GetProperty("nlri").GetProperty(kv.Key);
            Assert.Equal(kv.Value, (family.GetProperty("announced").GetInt64(), family.GetProperty("withdrawn").GetInt64()));
        });
    }

    [FixtureFact]
    public void Several_files_are_counted_and_their_counts_summed()
    {
        var root = Fixtures.RequireRoot();
        string[] captures = ["netgauze/evpn__evpn.pcap", "netgauze/pcap-reader__data__bmp.pcapng", "bmp_play/bmp.dump"];
        var alone = captures.Select(c => JsonDocument.Parse(Run("decode", "--summary", Path.Combine(root, c)).Stdout).RootElement).ToList();

        var (code, stdout, _) = Run(["decode", "--summary", .. captures.Select(c => Path.Combine(root, c))]);

        Assert.Equal(0, code);
        var all = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(captures.Length, all.GetProperty("files").GetInt32());
        foreach (var key in all.GetProperty("messages").EnumerateObject())
        {
            Assert.Equal(alone.Sum(a => a.GetProperty("messages").GetProperty(key.Name).GetInt64()), key.Value.GetInt64());
        }

        var families = alone.SelectMany(a => a.GetProperty("nlri").EnumerateObject().Select(f => f.Name)).Distinct().ToList();
        Assert.True(families.Count >= 4);
        foreach (var family in families)
        {
            foreach (var kind in (string[])["announced", "withdrawn"])
            {
                var sum = alone.Sum(a => a.GetProperty("nlri").TryGetProperty(family, out var f) ? f.GetProperty(kind).GetInt64() : 0);
                Assert.Equal(sum, all.GetProperty("nlri").GetProperty(family).GetProperty(kind).GetInt64());
            }
        }

        Assert.Equal(alone.Sum(a => a.GetProperty("end_of_rib").GetInt64()), all.GetProperty("end_of_rib").GetInt64());
    }

    [Fact]
    public void Malformed_message_in_a_complete_stream_makes_the_exit_1()
    {
        // A message of a type IANA has not assigned, between two that decode.
        byte[] initiation = [3, 0, 0, 0, 14, 4, 0, 2, 0, 4, (byte)'r', (byte)'t', (byte)'r', (byte)'1'];
        byte[] unknown = [3, 0, 0, 0, 10, 9, 1, 2, 3, 4];
        var file = Path.Combine(_folder, "unknown.bmp");
        File.WriteAllBytes(file, [.. initiation, .. unknown, .. initiation]);

        var (code, stdout, _) = Run("decode", "--summary", file);
        var (messagesCode, _, stderr) = Run("decode", file);

        Assert.Equal(1, code);
        Assert.Equal(1, messagesCode);
        Assert.Contains("unexpected_type", stderr);
        var s = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(2, s.GetProperty("messages").GetProperty("initiation").GetInt32());
        Assert.Equal(1, s.GetProperty("errors").GetProperty("unexpected_type").GetInt32());
    }

    [Theory]
    [InlineData(new[] { "decode" }, "no input file")]
    [InlineData(new[] { "decode", "--summary", "--routes", "x" }, "exclude each other")]
    [InlineData(new[] { "decode", "--port", "70000", "x" }, "--port")]
    [InlineData(new[] { "decode", "--frob", "x" }, "unknown option '--frob'")]
    public void Bad_usage_exits_2_and_says_why(string[] args, string why)
    {
        var (code, _, stderr) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains(why, stderr);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private static List<JsonElement> Lines(string jsonLines) =>
        jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
}
