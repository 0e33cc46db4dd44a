namespace Bmpmon.Tests.Pipeline;

/// <summary>A clock that moves only when a test says so (microsecond timestamps), so measured rates do not depend on the machine's load.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _micros;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => Interlocked.Read(ref _micros);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _micros, (long)(by.TotalMilliseconds * 1000));
}
