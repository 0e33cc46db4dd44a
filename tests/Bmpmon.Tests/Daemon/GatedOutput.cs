using Bmpmond.Output;
using Bmpmond.Pipeline;

namespace Bmpmon.Tests.Daemon;

/// <summary>
/// A jsonl output (to a file) whose writes wait for <see cref="WritesOpen"/> and whose close waits
/// for <see cref="CloseOpen"/>: a slow or stuck output, the way a full disk or a stalled database
/// looks to the daemon, under the test's control.
/// </summary>
internal sealed class GatedOutput(string path) : IDaemonOutput
{
    private readonly JsonlOutput _inner = JsonlOutput.Open(path, Stream.Null);

    public ManualResetEventSlim WritesOpen { get; } = new(true);

    public ManualResetEventSlim CloseOpen { get; } = new(true);

    public string Name => "gated:" + _inner.Name;

    public ISessionOutput OpenSession(string router) => _inner.OpenSession(router);

    public void Write(OutputBatch batch)
    {
        WritesOpen.Wait();
        _inner.Write(batch);
    }

    public void Flush() => _inner.Flush();

    public void Dispose()
    {
        CloseOpen.Wait();
        _inner.Dispose();
    }
}
