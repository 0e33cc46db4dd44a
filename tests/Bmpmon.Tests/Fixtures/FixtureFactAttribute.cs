namespace Bmpmon.Tests;

/// <summary>
/// A <see cref="FactAttribute"/> for a test that reads the shared real-capture fixtures: reported as
/// skipped, with where they were looked for, when they are missing. Under CI=true it is never
/// skipped, so <see cref="Fixtures.RequireRoot"/> fails it: a CI run must not pass by testing nothing.
/// </summary>
/// <remarks>xunit 2 has no runtime skip; the skip is decided when the attribute is created, at discovery.</remarks>
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute()
    {
        if (Fixtures.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
