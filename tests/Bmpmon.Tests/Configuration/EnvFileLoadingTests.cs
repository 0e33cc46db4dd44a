using System.Net;
using Bmpmond.Configuration;

namespace Bmpmon.Tests.Configuration;

/// <summary>Which .env file is loaded, and how it combines with the environment.</summary>
public sealed class EnvFileLoadingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WorkingDirectory => Path.Combine(_dir.Path, "cwd");

    private string EtcPath => Path.Combine(_dir.Path, "etc", "bmpmond.env");

    private bool Load(Dictionary<string, string> env, string? envFile, out BmpmondOptions options, out string error, out string? loaded)
    {
        Directory.CreateDirectory(WorkingDirectory);

        // The default output (postgres) needs a database URL; these tests are about the files.
        env.TryAdd(SettingsTable.DatabaseUrl, ConfigTestSupport.DefaultDatabaseUrl);
        return OptionsLoader.TryLoad(env, envFile, WorkingDirectory, EtcPath, out options, out error, out loaded);
    }

    [Fact]
    public void No_file_anywhere_loads_nothing()
    {
        Assert.True(Load([], null, out var options, out string error, out string? loaded), error);
        Assert.Null(loaded);
        Assert.Equal(1000, options.MaxSessions);
    }

    [Fact]
    public void The_given_file_is_loaded_and_wins_over_the_others()
    {
        string given = _dir.Write("given.env", "BMPMOND_MAX_SESSIONS=1\n");
        _dir.Write("cwd/.env", "BMPMOND_MAX_SESSIONS=2\n");
        _dir.Write("etc/bmpmond.env", "BMPMOND_MAX_SESSIONS=3\n");
        Assert.True(Load([], given, out var options, out string error, out string? loaded), error);
        Assert.Equal(given, loaded);
        Assert.Equal(1, options.MaxSessions);
    }

    [Fact]
    public void Dot_env_in_the_working_directory_comes_before_etc()
    {
        string local = _dir.Write("cwd/.env", "BMPMOND_MAX_SESSIONS=2\n");
        _dir.Write("etc/bmpmond.env", "BMPMOND_MAX_SESSIONS=3\n");
        Assert.True(Load([], null, out var options, out string error, out string? loaded), error);
        Assert.Equal(local, loaded);
        Assert.Equal(2, options.MaxSessions);
    }

    [Fact]
    public void Etc_is_the_last_fallback()
    {
        string etc = _dir.Write("etc/bmpmond.env", "BMPMOND_MAX_SESSIONS=3\n");
        Assert.True(Load([], null, out var options, out string error, out string? loaded), error);
        Assert.Equal(etc, loaded);
        Assert.Equal(3, options.MaxSessions);
    }

    [Fact]
    public void A_missing_env_file_is_an_error()
    {
        _dir.Write("cwd/.env", "BMPMOND_MAX_SESSIONS=2\n");
        string missing = Path.Combine(_dir.Path, "missing.env");
        Assert.False(Load([], missing, out _, out string error, out string? loaded));
        Assert.Equal($"--env-file {missing}: no such file", error);
        Assert.Null(loaded);
        Assert.False(Load([], _dir.Path, out _, out error, out _));
        Assert.Equal($"--env-file {_dir.Path}: is a directory", error);
    }

    [Fact]
    public void The_environment_overrides_the_file()
    {
        string file = _dir.Write("given.env", """
            # bmpmond settings
            export BMPMOND_LISTEN=127.0.0.1:1790
            BMPMOND_MAX_SESSIONS=5
            BMPMOND_OUTPUT="jsonl:/tmp/x y.jsonl"
            PATH=/ignored
            """);
        var env = new Dictionary<string, string> { ["BMPMOND_MAX_SESSIONS"] = "7" };
        Assert.True(Load(env, file, out var options, out string error, out _), error);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 1790), options.Listen);
        Assert.Equal(7, options.MaxSessions);
        Assert.Equal(new OutputSpec(OutputKind.Jsonl, "/tmp/x y.jsonl"), options.Output);
    }

    [Fact]
    public void A_good_environment_value_hides_a_bad_file_value()
    {
        string file = _dir.Write("given.env", "BMPMOND_MAX_SESSIONS=-1\n");
        var env = new Dictionary<string, string> { ["BMPMOND_MAX_SESSIONS"] = "7" };
        Assert.True(Load(env, file, out var options, out string error, out _), error);
        Assert.Equal(7, options.MaxSessions);
    }

    [Fact]
    public void A_bad_file_value_names_the_variable_file_and_line()
    {
        string file = _dir.Write("given.env", "# comment\nBMPMOND_MAX_SESSIONS=0\n");
        Assert.False(Load([], file, out _, out string error, out string? loaded));
        Assert.Equal($"BMPMOND_MAX_SESSIONS: \"0\" is not an integer from 1 to 1000000 (set in {file}:2)", error);
        Assert.Equal(file, loaded);
    }

    [Fact]
    public void An_unknown_name_in_the_file_is_an_error()
    {
        string file = _dir.Write("given.env", "BMPMOND_LOGLEVEL=DEBUG\n");
        Assert.False(Load([], file, out _, out string error, out _));
        Assert.Equal($"BMPMOND_LOGLEVEL: not a bmpmond setting (did you mean BMPMOND_LOG_LEVEL?) (set in {file}:1)", error);
    }

    [Fact]
    public void A_malformed_file_names_the_file_and_line_but_not_the_value()
    {
        string file = _dir.Write("cwd/.env", "BMPMOND_MAX_SESSIONS=5\nBMPMOND_DATABASE_URL='postgres://u:topsecret@db\n");
        Assert.False(Load([], null, out _, out string error, out _));
        Assert.StartsWith($"{file}:2: unterminated single-quoted value", error, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error, StringComparison.Ordinal);
    }
}
