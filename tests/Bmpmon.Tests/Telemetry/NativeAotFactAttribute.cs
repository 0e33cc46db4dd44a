namespace Bmpmon.Tests.Telemetry;

/// <summary>
/// A <see cref="FactAttribute"/> for a test that runs the published Native AOT binary: publishing
/// takes minutes, so outside CI=true (and without BMPMON_AOT_TESTS=1) the test is reported as skipped
/// with that reason rather than passing without having run.
/// </summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        if (!NativeAotBinary.Wanted)
        {
            Skip = "the Native AOT binary is published only with CI=true or BMPMON_AOT_TESTS=1";
        }
    }
}
