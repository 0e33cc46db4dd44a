using System.Diagnostics;
using System.Text;

namespace Bmpmon.Tests.Postgres;

/// <summary>
/// Runs the PostgreSQL command-line tools for <see cref="TestPostgres"/>: arguments are passed as a list
/// (no shell, no quoting), PG* variables of the test process are removed so they cannot redirect a tool
/// to another server, and when <paramref name="asUser"/> is given the tool runs as that user through
/// <c>runuser -u USER --</c> (root only).
/// </summary>
internal static class PgProcess
{
    public readonly record struct Result(int ExitCode, string StdOut, string StdErr)
    {
        public string Describe(string what) => $"{what} exited with {ExitCode}\n{StdOut}{StdErr}";
    }

    public static Result Run(string file, IEnumerable<string> arguments, string? asUser = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asUser is null)
        {
            info.FileName = file;
        }
        else
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(asUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(file);
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["LC_ALL"] = "C";

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in time");
        }

        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }
}
