using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Bmpmon.Tests.Telemetry;

/// <summary>
/// <c>bmpmond run</c> as a child process (the JIT build through <c>dotnet bmpmond.dll</c>, or a Native
/// AOT binary), with only the environment a test gives it: every BMPMOND_* and SENTRY_* variable of
/// the test process is removed first. Collects stdout and stderr lines as they come.
/// </summary>
internal sealed class BmpmondProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private BmpmondProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Add(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Stdout => Snapshot(_stdout);

    public IReadOnlyList<string> Stderr => Snapshot(_stderr);

    /// <summary>Starts <paramref name="binary"/> (null: the JIT build next to the tests) with <c>run</c>.</summary>
    public static BmpmondProcess Start(string? binary, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = binary is null
            ? new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "bmpmond.dll"), "run"])
            : new ProcessStartInfo(binary, ["run"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = workingDirectory;
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("BMPMOND_", StringComparison.Ordinal) || k.StartsWith("SENTRY_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new BmpmondProcess(Process.Start(start)!);
    }

    /// <summary>Waits until a stdout log line has <c>"event":"<paramref name="eventName"/>"</c>; false on exit or timeout.</summary>
    public bool WaitForLog(string eventName, TimeSpan timeout)
    {
        var needle = $"\"event\":\"{eventName}\"";
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Stdout.Any(l => l.Contains(needle, StringComparison.Ordinal)))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return false;
    }

    /// <summary>SIGTERM, then waits for the exit (and the end of both streams).</summary>
    public bool Terminate(TimeSpan timeout)
    {
        Assert.Equal(0, Kill(_process.Id, 15));
        return WaitForExit(timeout);
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Add(List<string> lines, string? line)
    {
        if (line is not null)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
