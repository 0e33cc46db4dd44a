namespace Bmpmon.Tests;

/// <summary>
/// A <see cref="TheoryAttribute"/> for a test that reads the shared real-capture fixtures: the whole
/// theory is reported as skipped when they are missing, except under CI=true, where it runs and
/// <see cref="Fixtures.RequireRoot"/> fails it (see <see cref="FixtureFactAttribute"/>).
/// </summary>
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute()
    {
        if (Fixtures.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
