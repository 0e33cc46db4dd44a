using Bmpmond.Configuration;

namespace Bmpmon.Tests.Configuration;

/// <summary>Runs the loader with an injected environment and no .env file unless one is given.</summary>
internal static class ConfigTestSupport
{
    /// <summary>A directory that does not exist: neither ./.env nor the /etc file is found there.</summary>
    public static readonly string Nowhere = Path.Combine(Path.GetTempPath(), "bmpmond-config-tests-nowhere-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// The <c>BMPMOND_DATABASE_URL</c> <see cref="Env"/> adds when a test does not set one: the
    /// default output (postgres) needs it, and the tests here are about other settings.
    /// </summary>
    public const string DefaultDatabaseUrl = "postgres://bmpmond@127.0.0.1:5432/bmpmond";

    public static bool Load(IReadOnlyDictionary<string, string> env, out BmpmondOptions options, out string error)
        => OptionsLoader.TryLoad(env, null, Nowhere, Path.Combine(Nowhere, "bmpmond.env"), out options, out error, out _);

    public static BmpmondOptions LoadOk(params (string Name, string Value)[] variables)
    {
        bool ok = Load(Env(variables), out var options, out string error);
        Assert.True(ok, error);
        Assert.Equal("", error);
        return options;
    }

    public static string LoadError(params (string Name, string Value)[] variables)
    {
        bool ok = Load(Env(variables), out _, out string error);
        Assert.False(ok);
        Assert.DoesNotContain('\n', error);
        return error;
    }

    public static Dictionary<string, string> Env(params (string Name, string Value)[] variables)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            env[name] = value;
        }

        env.TryAdd(SettingsTable.DatabaseUrl, DefaultDatabaseUrl);

        return env;
    }
}

/// <summary>A fresh temporary directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("bmpmond-config-").FullName;
    }

    public string Path { get; }

    public string Write(string name, string text)
    {
        string file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
