using System.Net;
using Bmpmond.Configuration;
using Microsoft.Extensions.Logging;
using static Bmpmon.Tests.Configuration.ConfigTestSupport;

namespace Bmpmon.Tests.Configuration;

public class OptionsLoaderTests
{
    [Fact]
    public void Empty_environment_gives_the_defaults()
    {
        var options = LoadOk();
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11019), options.Listen);
        Assert.Empty(options.AllowedRouters);
        Assert.Equal(1000, options.MaxSessions);
        Assert.Equal(16 * 1024 * 1024, options.MaxMessageBytes);
        Assert.Equal(256L * 1024 * 1024, options.MaxPendingBytes);
        Assert.Equal(OutputSpec.Postgres, options.Output);
        Assert.False(options.Output.IsStdout);
        Assert.Equal(LogLevel.Information, options.LogLevel);
        Assert.Equal(TimeSpan.FromSeconds(10), options.StatsInterval);
        Assert.Null(options.SentryDsn);
        Assert.Equal("production", options.SentryEnvironment);
        Assert.Equal(0.0, options.SentryTracesSampleRate);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownDrainTimeout);
        Assert.Equal(DefaultDatabaseUrl, options.DatabaseUrl);
    }

    [Fact]
    public void Other_variables_are_ignored()
    {
        var options = LoadOk(("PATH", "/usr/bin"), ("LISTEN", "nonsense"), ("BMPMON_FIXTURES", "/x"));
        Assert.Equal(11019, options.Listen.Port);
    }

    [Fact]
    public void Every_setting_is_read_from_good_values()
    {
        var options = LoadOk(
            ("BMPMOND_LISTEN", "[::]:1790"),
            ("BMPMOND_ALLOWED_ROUTERS", "192.0.2.1, 10.0.0.0/8 2001:db8::/32"),
            ("BMPMOND_MAX_SESSIONS", "20"),
            ("BMPMOND_MAX_MESSAGE_BYTES", "65587"),
            ("BMPMOND_MAX_PENDING_MB", "64"),
            ("BMPMOND_OUTPUT", "jsonl:/var/lib/bmpmond/out.jsonl"),
            ("BMPMOND_LOG_LEVEL", "debug"),
            ("BMPMOND_STATS_INTERVAL", "1m"),
            ("BMPMOND_SENTRY_DSN", "https://abc123@o1.ingest.sentry.io/4507"),
            ("BMPMOND_SENTRY_ENVIRONMENT", "staging"),
            ("BMPMOND_SENTRY_TRACES_SAMPLE_RATE", "0.25"),
            ("BMPMOND_SHUTDOWN_DRAIN_SECONDS", "55"),
            ("BMPMOND_DATABASE_URL", "postgres://bmp:s3cret@db/bmp"));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 1790), options.Listen);
        Assert.Equal([IPNetwork.Parse("192.0.2.1/32"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8::/32")], options.AllowedRouters);
        Assert.Equal(20, options.MaxSessions);
        Assert.Equal(65587, options.MaxMessageBytes);
        Assert.Equal(64L * 1024 * 1024, options.MaxPendingBytes);
        Assert.Equal(new OutputSpec(OutputKind.Jsonl, "/var/lib/bmpmond/out.jsonl"), options.Output);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
        Assert.Equal(TimeSpan.FromMinutes(1), options.StatsInterval);
        Assert.Equal("https://abc123@o1.ingest.sentry.io/4507", options.SentryDsn);
        Assert.Equal("staging", options.SentryEnvironment);
        Assert.Equal(0.25, options.SentryTracesSampleRate);
        Assert.Equal(TimeSpan.FromSeconds(55), options.ShutdownDrainTimeout);
        Assert.Equal("postgres://bmp:s3cret@db/bmp", options.DatabaseUrl);
    }

    [Theory]
    [InlineData("BMPMOND_LISTEN", "127.0.0.1:11019", "127.0.0.1:11019")]
    [InlineData("BMPMOND_LISTEN", "[::1]:65535", "[::1]:65535")]
    [InlineData("BMPMOND_LISTEN", " 0.0.0.0:1 ", "0.0.0.0:1")]
    public void Listen_values(string name, string value, string expected)
        => Assert.Equal(IPEndPoint.Parse(expected), LoadOk((name, value)).Listen);

    [Theory]
    [InlineData("10", 10)]
    [InlineData("30s", 30)]
    [InlineData("30S", 30)]
    [InlineData("1m", 60)]
    [InlineData("86400", 86400)]
    [InlineData("1440m", 86400)]
    public void Stats_interval_values(string value, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), LoadOk(("BMPMOND_STATS_INTERVAL", value)).StatsInterval);

    [Theory]
    [InlineData("900", 900)]
    [InlineData("30s", 30)]
    [InlineData("15m", 900)]
    public void Resync_timeout_takes_seconds_or_minutes(string value, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), LoadOk(("BMPMOND_RESYNC_TIMEOUT", value)).ResyncTimeout);

    [Fact]
    public void Resync_timeout_defaults_to_15_minutes() => Assert.Equal(TimeSpan.FromMinutes(15), LoadOk().ResyncTimeout);

    [Theory]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData("Debug", LogLevel.Debug)]
    [InlineData("warning", LogLevel.Warning)]
    [InlineData("ERROR", LogLevel.Error)]
    public void Log_levels(string value, LogLevel expected)
        => Assert.Equal(expected, LoadOk(("BMPMOND_LOG_LEVEL", value)).LogLevel);

    [Theory]
    [InlineData("null", "null")]
    [InlineData("NULL", "null")]
    [InlineData("jsonl:-", "jsonl:-")]
    [InlineData("JSONL:out.jsonl", "jsonl:out.jsonl")]
    [InlineData("jsonl:/a:b.jsonl", "jsonl:/a:b.jsonl")]
    public void Output_values(string value, string expected)
        => Assert.Equal(expected, LoadOk(("BMPMOND_OUTPUT", value)).Output.ToString());

    [Fact]
    public void Output_kinds()
    {
        Assert.Equal(new OutputSpec(OutputKind.Null, null), LoadOk(("BMPMOND_OUTPUT", "null")).Output);
        Assert.Equal(new OutputSpec(OutputKind.Jsonl, "a.jsonl"), LoadOk(("BMPMOND_OUTPUT", "jsonl:a.jsonl")).Output);
        Assert.False(LoadOk(("BMPMOND_OUTPUT", "jsonl:a.jsonl")).Output.IsStdout);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("1e-2", 0.01)]
    public void Sample_rates(string value, double expected)
        => Assert.Equal(expected, LoadOk(("BMPMOND_SENTRY_TRACES_SAMPLE_RATE", value)).SentryTracesSampleRate);

    [Theory]
    [InlineData("https://key@sentry.example.net/1")]
    [InlineData("http://key@127.0.0.1:9000/42")]
    [InlineData("https://key:legacysecret@sentry.example.net/prefix/42")]
    [InlineData("https://key@sentry.example.net/42/")]
    public void Good_sentry_dsns(string dsn) => Assert.Equal(dsn, LoadOk(("BMPMOND_SENTRY_DSN", dsn)).SentryDsn);

    [Fact]
    public void Empty_dsn_and_empty_allow_list_mean_off_and_any()
    {
        var options = LoadOk(("BMPMOND_SENTRY_DSN", ""), ("BMPMOND_ALLOWED_ROUTERS", " "));
        Assert.Null(options.SentryDsn);
        Assert.Empty(options.AllowedRouters);
    }

    [Fact]
    public void Names_match_in_any_case()
        => Assert.Equal(20, LoadOk(("bmpmond_max_sessions", "20")).MaxSessions);

    [Theory]
    [InlineData("BMPMOND_LISTEN", "")]
    [InlineData("BMPMOND_LISTEN", "localhost:11019")]
    [InlineData("BMPMOND_LISTEN", "0.0.0.0")]
    [InlineData("BMPMOND_LISTEN", "0.0.0.0:0")]
    [InlineData("BMPMOND_LISTEN", "0.0.0.0:70000")]
    [InlineData("BMPMOND_LISTEN", "0.0.0.0:-1")]
    [InlineData("BMPMOND_LISTEN", "0.0.0.0:port")]
    [InlineData("BMPMOND_LISTEN", "256.0.0.1:11019")]
    [InlineData("BMPMOND_LISTEN", "10.1:11019")]
    [InlineData("BMPMOND_LISTEN", "0x7f.0.0.1:11019")]
    [InlineData("BMPMOND_LISTEN", "::1:11019")]
    [InlineData("BMPMOND_LISTEN", "[127.0.0.1]:11019")]
    [InlineData("BMPMOND_LISTEN", "[::1]")]
    [InlineData("BMPMOND_ALLOWED_ROUTERS", "10.0.0.0/33")]
    [InlineData("BMPMOND_ALLOWED_ROUTERS", "10.0.0.1/8")]
    [InlineData("BMPMOND_ALLOWED_ROUTERS", "10.0.0.0/")]
    [InlineData("BMPMOND_ALLOWED_ROUTERS", "10.0.0.0/-1")]
    [InlineData("BMPMOND_ALLOWED_ROUTERS", "2001:db8::/129")]
    [InlineData("BMPMOND_ALLOWED_ROUTERS", "192.0.2.1, router1")]
    [InlineData("BMPMOND_ALLOWED_ROUTERS", "192.0.2.1;192.0.2.2")]
    [InlineData("BMPMOND_ALLOWED_ROUTERS", "fe80::1%2")]
    [InlineData("BMPMOND_MAX_SESSIONS", "0")]
    [InlineData("BMPMOND_MAX_SESSIONS", "1000001")]
    [InlineData("BMPMOND_MAX_SESSIONS", "-5")]
    [InlineData("BMPMOND_MAX_SESSIONS", "1,000")]
    [InlineData("BMPMOND_MAX_SESSIONS", "ten")]
    [InlineData("BMPMOND_MAX_SESSIONS", "99999999999999999999")]
    [InlineData("BMPMOND_MAX_MESSAGE_BYTES", "65586")]
    [InlineData("BMPMOND_MAX_MESSAGE_BYTES", "268435457")]
    [InlineData("BMPMOND_MAX_MESSAGE_BYTES", "16M")]
    [InlineData("BMPMOND_MAX_PENDING_MB", "0")]
    [InlineData("BMPMOND_MAX_PENDING_MB", "65537")]
    [InlineData("BMPMOND_MAX_PENDING_MB", "1.5")]
    [InlineData("BMPMOND_OUTPUT", "postgres://u:p@h/db")]
    [InlineData("BMPMOND_OUTPUT", "csv:out.csv")]
    [InlineData("BMPMOND_OUTPUT", "jsonl")]
    [InlineData("BMPMOND_OUTPUT", "jsonl:")]
    [InlineData("BMPMOND_OUTPUT", "null:x")]
    [InlineData("BMPMOND_OUTPUT", "")]
    [InlineData("BMPMOND_LOG_LEVEL", "TRACE")]
    [InlineData("BMPMOND_LOG_LEVEL", "verbose")]
    [InlineData("BMPMOND_LOG_LEVEL", "2")]
    [InlineData("BMPMOND_STATS_INTERVAL", "-5")]
    [InlineData("BMPMOND_STATS_INTERVAL", "0")]
    [InlineData("BMPMOND_STATS_INTERVAL", "0s")]
    [InlineData("BMPMOND_STATS_INTERVAL", "1.5")]
    [InlineData("BMPMOND_STATS_INTERVAL", "10h")]
    [InlineData("BMPMOND_STATS_INTERVAL", "s")]
    [InlineData("BMPMOND_STATS_INTERVAL", "86401")]
    [InlineData("BMPMOND_STATS_INTERVAL", "99999999999999999999m")]
    [InlineData("BMPMOND_RESYNC_TIMEOUT", "0")]
    [InlineData("BMPMOND_RESYNC_TIMEOUT", "15h")]
    [InlineData("BMPMOND_RESYNC_TIMEOUT", "1441m")]
    [InlineData("BMPMOND_SENTRY_DSN", "not a dsn")]
    [InlineData("BMPMOND_SENTRY_DSN", "ftp://key@sentry.example.net/1")]
    [InlineData("BMPMOND_SENTRY_DSN", "https://sentry.example.net/1")]
    [InlineData("BMPMOND_SENTRY_DSN", "https://:secret@sentry.example.net/1")]
    [InlineData("BMPMOND_SENTRY_DSN", "https://key@sentry.example.net/")]
    [InlineData("BMPMOND_SENTRY_DSN", "https://key@sentry.example.net/project")]
    [InlineData("BMPMOND_SENTRY_DSN", "/relative/1")]
    [InlineData("BMPMOND_SENTRY_ENVIRONMENT", "")]
    [InlineData("BMPMOND_SENTRY_ENVIRONMENT", "prod/eu")]
    [InlineData("BMPMOND_SENTRY_ENVIRONMENT", "two words")]
    [InlineData("BMPMOND_SENTRY_TRACES_SAMPLE_RATE", "1.5")]
    [InlineData("BMPMOND_SENTRY_TRACES_SAMPLE_RATE", "-0.1")]
    [InlineData("BMPMOND_SENTRY_TRACES_SAMPLE_RATE", "NaN")]
    [InlineData("BMPMOND_SENTRY_TRACES_SAMPLE_RATE", "0,5")]
    [InlineData("BMPMOND_SENTRY_TRACES_SAMPLE_RATE", "half")]
    [InlineData("BMPMOND_SHUTDOWN_DRAIN_SECONDS", "0")]
    [InlineData("BMPMOND_SHUTDOWN_DRAIN_SECONDS", "56")]
    [InlineData("BMPMOND_SHUTDOWN_DRAIN_SECONDS", "30s")]
    [InlineData("BMPMOND_DATABASE_URL", "")]
    [InlineData("BMPMOND_DATABASE_URL", "   ")]
    public void Each_bad_value_is_refused_with_a_line_naming_the_variable(string name, string value)
    {
        string error = LoadError((name, value));
        Assert.StartsWith(name + ": ", error, StringComparison.Ordinal);
        Assert.True(error.Length > name.Length + 10, error);
    }

    [Fact]
    public void The_message_says_what_is_wrong()
    {
        Assert.Equal(
            "BMPMOND_STATS_INTERVAL: \"-5\" is not a positive number of seconds (e.g. 10, 30s, 1m)",
            LoadError(("BMPMOND_STATS_INTERVAL", "-5")));
        Assert.Equal(
            "BMPMOND_OUTPUT: unknown output kind \"csv\" (expected jsonl:PATH, jsonl:-, postgres or null)",
            LoadError(("BMPMOND_OUTPUT", "csv:out.csv")));
        Assert.Equal(
            "BMPMOND_LISTEN: \"0.0.0.0:70000\" has a port outside 1..65535 (e.g. 0.0.0.0:11019, 192.0.2.1:11019, [::]:11019)",
            LoadError(("BMPMOND_LISTEN", "0.0.0.0:70000")));
        Assert.Equal(
            "BMPMOND_ALLOWED_ROUTERS: \"10.0.0.1/8\" has host bits set past /8 (did you mean 10.0.0.0/8?)",
            LoadError(("BMPMOND_ALLOWED_ROUTERS", "10.0.0.1/8")));
        Assert.Equal(
            "BMPMOND_MAX_SESSIONS: is empty (unset it for the default, 1000)",
            LoadError(("BMPMOND_MAX_SESSIONS", "")));
    }

    [Fact]
    public void An_unknown_variable_is_an_error_with_a_suggestion()
    {
        Assert.Equal(
            "BMPMOND_LISTN: not a bmpmond setting (did you mean BMPMOND_LISTEN?)",
            LoadError(("BMPMOND_LISTN", "0.0.0.0:11019")));
        Assert.Equal(
            "BMPMOND_SENTRY__DSN: not a bmpmond setting (did you mean BMPMOND_SENTRY_DSN?)",
            LoadError(("BMPMOND_SENTRY__DSN", "https://k@h/1")));
        Assert.Equal(
            "BMPMOND_WHATEVER: not a bmpmond setting (see the Configuration table in the README)",
            LoadError(("BMPMOND_WHATEVER", "1")));
    }

    [Fact]
    public void Reserved_names_are_accepted_and_ignored()
        => LoadOk(("BMPMOND_DATABASE_POOL_SIZE", "4"));

    [Theory]
    [InlineData("BMPMOND_SENTRY_DSN", "https://sentry.example.net/1?k=topsecretkey")]
    [InlineData("BMPMOND_SENTRY_DSN", "https://topsecretkey@sentry.example.net/notaproject")]
    [InlineData("BMPMOND_SENTRY_DSN", "htps://topsecretkey@sentry.example.net/1")]
    [InlineData("BMPMOND_SENTRY_DSN", "topsecretkey")]
    [InlineData("BMPMOND_OUTPUT", "postgres://bmp:topsecretkey@db/bmp")]
    [InlineData("BMPMOND_DATABAS_URL", "postgres://bmp:topsecretkey@db/bmp")]
    public void Secrets_never_appear_in_messages(string name, string value)
    {
        string error = LoadError((name, value));
        Assert.DoesNotContain("topsecretkey", error, StringComparison.Ordinal);
        Assert.DoesNotContain("sentry.example.net", error, StringComparison.Ordinal);
        Assert.DoesNotContain("bmp:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dsn_error_says_malformed()
        => Assert.StartsWith("BMPMOND_SENTRY_DSN: malformed", LoadError(("BMPMOND_SENTRY_DSN", "https://sentry.example.net/1")), StringComparison.Ordinal);

    [Fact]
    public void Options_do_not_print_secrets()
    {
        var options = LoadOk(("BMPMOND_SENTRY_DSN", "https://topsecretkey@h/1"), ("BMPMOND_DATABASE_URL", "postgres://u:topsecretkey@db/x"));
        Assert.DoesNotContain("topsecretkey", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_values_and_control_characters_are_shown_cut_on_one_line()
    {
        string error = LoadError(("BMPMOND_LOG_LEVEL", new string('x', 500) + "\nDEBUG"));
        Assert.Contains("...\"", error, StringComparison.Ordinal);
        Assert.True(error.Length < 200, error);
        error = LoadError(("BMPMOND_LOG_LEVEL", "IN\nFO"));
        Assert.Contains("\"IN?FO\"", error, StringComparison.Ordinal);
    }
}
