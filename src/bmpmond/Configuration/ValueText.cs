using System.Text;

namespace Bmpmond.Configuration;

/// <summary>Shows a (non-secret) setting value inside a one-line error message.</summary>
internal static class ValueText
{
    private const int MaxShown = 64;

    /// <summary>
    /// The value in double quotes, cut to <see cref="MaxShown"/> characters, with control
    /// characters shown as <c>?</c> so that a value can never break the error onto two lines.
    /// </summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, MaxShown) + 5);
        text.Append('"');
        for (int i = 0; i < value.Length && i < MaxShown; i++)
        {
            text.Append(char.IsControl(value[i]) ? '?' : value[i]);
        }

        if (value.Length > MaxShown)
        {
            text.Append("...");
        }

        return text.Append('"').ToString();
    }
}
