using System.Diagnostics;
using System.Text.Json;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// <c>bmpmond run</c> as a child process (the JIT build through <c>dotnet bmpmond.dll</c>, or a Native
/// AOT binary) with only the environment a test gives it (every BMPMOND_* and SENTRY_* variable of the
/// test process is removed first), its JSON log lines collected as they come (from stdout, or from
/// stderr when the routes go to stdout), and real signals sent to it.
/// </summary>
internal sealed class BmpmondProcess : IDisposable
{
    public const int Sigint = 2;
    public const int Sigterm = 15;

    private readonly Process _process;
    private readonly List<string> _logLines = [];
    private readonly List<string> _otherLines = [];

    /// <summary>
    /// Starts bmpmond. Logs are read from stdout, or from stderr when <paramref name="logsOnStderr"/>
    /// (BMPMOND_OUTPUT=jsonl:-); then stdout is left unread (<see cref="Stdout"/>), so the test
    /// decides how fast the output drains. <paramref name="binary"/> is a Native AOT binary, or null
    /// for the JIT build next to the tests.
    /// </summary>
    public BmpmondProcess(string workingDirectory, IReadOnlyDictionary<string, string> environment, bool logsOnStderr = false, string? binary = null)
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

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => Collect(e.Data, logsOnStderr);
        _process.BeginErrorReadLine();
        if (!logsOnStderr)
        {
            _process.OutputDataReceived += (_, e) => Collect(e.Data, true);
            _process.BeginOutputReadLine();
        }
    }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>The child's stdout when the logs are on stderr (the jsonl:- output).</summary>
    public Stream Stdout => _process.StandardOutput.BaseStream;

    /// <summary>The log lines so far, parsed.</summary>
    public List<JsonElement> Logs()
    {
        lock (_logLines)
        {
            return _logLines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        }
    }

    /// <summary>The log lines so far, as written.</summary>
    public List<string> LogLines()
    {
        lock (_logLines)
        {
            return [.. _logLines];
        }
    }

    public List<JsonElement> Logs(string eventName) => Logs().Where(l => l.GetProperty("event").GetString() == eventName).ToList();

    /// <summary>Lines on the log stream that are not JSON, and stderr lines when the logs are on stdout.</summary>
    public List<string> OtherLines()
    {
        lock (_logLines)
        {
            return [.. _otherLines];
        }
    }

    /// <summary>Waits for a log line with <paramref name="eventName"/>; fails the test with what came instead.</summary>
    public JsonElement WaitFor(string eventName, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Logs(eventName) is [var first, ..])
            {
                return first;
            }

            if (DateTime.UtcNow > deadline || _process.HasExited && _process.WaitForExit(1000) && Logs(eventName).Count == 0)
            {
                Assert.Fail($"no {eventName} line from bmpmond; logs: {string.Join(", ", Logs().Select(l => l.GetProperty("event").GetString()))}; other: {string.Join(" | ", OtherLines())}");
            }

            Thread.Sleep(20);
        }
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    /// <summary>Waits for the exit (and for the last lines to be read); false on timeout.</summary>
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

    private void Collect(string? line, bool isLog)
    {
        if (line is not { Length: > 0 })
        {
            return;
        }

        lock (_logLines)
        {
            (isLog && line.StartsWith('{') ? _logLines : _otherLines).Add(line);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
