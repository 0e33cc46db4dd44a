using System.Text;

namespace Bmpmond.Configuration;

/// <summary>
/// A small <c>.env</c> parser, the common subset of docker's, systemd's and python-dotenv's
/// formats: <c>KEY=value</c> lines, <c>#</c> comments and blank lines, an optional
/// <c>export </c> prefix, values in single quotes (literal) or double quotes (with <c>\n</c>,
/// <c>\t</c>, <c>\r</c>, <c>\"</c> and <c>\\</c> escapes), and no variable expansion: a
/// <c>$</c> is just a character, so a password holding one is kept as written. An unquoted value
/// runs to the end of the line, minus trailing white space and a <c> #</c> comment. A quoted value
/// stays on one line (write <c>\n</c> for a newline).
/// Problems name the file and line, never the value (the file holds secrets).
/// </summary>
internal static class EnvFile
{
    private const string Export = "export";

    /// <summary>Reads and parses <paramref name="path"/>; a read failure is a problem too.</summary>
    public static bool TryRead(string path, out IReadOnlyList<EnvFileEntry> entries, out string problem)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            entries = [];
            problem = $"{path}: cannot read: {e.Message}";
            return false;
        }

        return TryParse(path, text, out entries, out problem);
    }

    /// <summary>Parses the text of a file named <paramref name="path"/> (the name is only used in problems).</summary>
    public static bool TryParse(string path, string text, out IReadOnlyList<EnvFileEntry> entries, out string problem)
    {
        var list = new List<EnvFileEntry>();
        entries = list;
        problem = "";
        int lineNumber = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (!TryParseLine(line, out var key, out var value, out string what))
            {
                problem = $"{path}:{lineNumber}: {what}";
                return false;
            }

            list.Add(new EnvFileEntry(key, value, lineNumber));
        }

        return true;
    }

    private static bool TryParseLine(ReadOnlySpan<char> line, out string key, out string value, out string problem)
    {
        key = value = problem = "";
        if (line.StartsWith(Export, StringComparison.Ordinal) && line.Length > Export.Length && line[Export.Length] is ' ' or '\t')
        {
            line = line[Export.Length..].TrimStart();
        }

        int equals = line.IndexOf('=');
        if (equals < 0)
        {
            problem = "expected KEY=value";
            return false;
        }

        var name = line[..equals].TrimEnd();
        if (!IsName(name))
        {
            problem = "the name before = is not a variable name (letters, digits and _, not starting with a digit)";
            return false;
        }

        key = name.ToString();
        var rest = line[(equals + 1)..].TrimStart();
        if (rest.IsEmpty)
        {
            return true;
        }

        return rest[0] switch
        {
            '\'' => TryParseSingleQuoted(rest, out value, out problem),
            '"' => TryParseDoubleQuoted(rest, out value, out problem),
            _ => ParseUnquoted(rest, out value),
        };
    }

    private static bool ParseUnquoted(ReadOnlySpan<char> rest, out string value)
    {
        for (int i = 1; i < rest.Length; i++)
        {
            if (rest[i] == '#' && rest[i - 1] is ' ' or '\t')
            {
                rest = rest[..i];
                break;
            }
        }

        value = rest.TrimEnd().ToString();
        return true;
    }

    private static bool TryParseSingleQuoted(ReadOnlySpan<char> rest, out string value, out string problem)
    {
        value = problem = "";
        int close = rest[1..].IndexOf('\'');
        if (close < 0)
        {
            problem = "unterminated single-quoted value (a value cannot span lines)";
            return false;
        }

        value = rest.Slice(1, close).ToString();
        return TryEndAfterQuote(rest[(close + 2)..], out problem);
    }

    private static bool TryParseDoubleQuoted(ReadOnlySpan<char> rest, out string value, out string problem)
    {
        value = problem = "";
        var text = new StringBuilder(rest.Length);
        for (int i = 1; i < rest.Length; i++)
        {
            char c = rest[i];
            if (c == '"')
            {
                value = text.ToString();
                return TryEndAfterQuote(rest[(i + 1)..], out problem);
            }

            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            if (++i == rest.Length)
            {
                break;
            }

            char escaped = rest[i] switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '"' => '"',
                '\\' => '\\',
                _ => '\0',
            };
            if (escaped == '\0')
            {
                problem = @"unknown escape in a double-quoted value (use \n, \t, \r, \"" or \\)";
                return false;
            }

            text.Append(escaped);
        }

        problem = "unterminated double-quoted value (a value cannot span lines; write \\n)";
        return false;
    }

    /// <summary>After a closing quote only white space or a comment may follow.</summary>
    private static bool TryEndAfterQuote(ReadOnlySpan<char> after, out string problem)
    {
        problem = "";
        var trimmed = after.TrimStart();
        if (trimmed.IsEmpty || (trimmed[0] == '#' && trimmed.Length < after.Length))
        {
            return true;
        }

        problem = "unexpected text after the closing quote";
        return false;
    }

    private static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
