using Bmpmond.Configuration;

namespace Bmpmon.Tests.Configuration;

public class EnvFileTests
{
    private static Dictionary<string, string> Parse(string text)
    {
        bool ok = EnvFile.TryParse("test.env", text, out var entries, out string problem);
        Assert.True(ok, problem);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            values[entry.Key] = entry.Value;
        }

        return values;
    }

    private static string ParseError(string text)
    {
        Assert.False(EnvFile.TryParse("test.env", text, out _, out string problem));
        return problem;
    }

    [Fact]
    public void Comments_blank_lines_and_export_prefix()
    {
        var values = Parse("""
            # a comment

              # an indented comment
            A=1
            export B=2
            export	C = 3
            D=
            exportE=4
            """);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "2", ["C"] = "3", ["D"] = "", ["exportE"] = "4" }, values);
    }

    [Fact]
    public void Unquoted_values_keep_inner_spaces_and_lose_trailing_comments()
    {
        var values = Parse("A=192.0.2.1, 10.0.0.0/8   \nB=a#b\nC=value # comment\nD=$HOME/x\nE=say \"hi\"");
        Assert.Equal("192.0.2.1, 10.0.0.0/8", values["A"]);
        Assert.Equal("a#b", values["B"]);
        Assert.Equal("value", values["C"]);
        Assert.Equal("$HOME/x", values["D"]);
        Assert.Equal("say \"hi\"", values["E"]);
    }

    [Fact]
    public void Single_quotes_are_literal()
    {
        var values = Parse(@"A='p@ss w\n$rd # not a comment'  # a comment" + "\nB=''");
        Assert.Equal(@"p@ss w\n$rd # not a comment", values["A"]);
        Assert.Equal("", values["B"]);
    }

    [Fact]
    public void Double_quotes_take_escapes_and_nothing_is_expanded()
    {
        var values = Parse(@"A=""line1\nline2\ttab \""q\"" back\\slash $HOME ${X}""" + "\nB=\"it's\"");
        Assert.Equal("line1\nline2\ttab \"q\" back\\slash $HOME ${X}", values["A"]);
        Assert.Equal("it's", values["B"]);
    }

    [Fact]
    public void Crlf_line_ends_and_a_later_assignment_wins()
    {
        var values = Parse("A=1\r\nA=2\r\nB='x'\r\n");
        Assert.Equal("2", values["A"]);
        Assert.Equal("x", values["B"]);
    }

    [Theory]
    [InlineData("A=1\nnot an assignment\n", 2, "expected KEY=value")]
    [InlineData("A=1\n\n# c\n1A=2\n", 4, "not a variable name")]
    [InlineData("A B=1", 1, "not a variable name")]
    [InlineData("=1", 1, "not a variable name")]
    [InlineData("export A", 1, "expected KEY=value")]
    [InlineData("A='unterminated", 1, "unterminated single-quoted")]
    [InlineData("A=1\nB=\"unterminated\n\"", 2, "unterminated double-quoted")]
    [InlineData("A=\"x\" trailing", 1, "after the closing quote")]
    [InlineData("A='x'y", 1, "after the closing quote")]
    [InlineData(@"A=""bad \q escape""", 1, "unknown escape")]
    [InlineData("A=\"ends in backslash\\", 1, "unterminated double-quoted")]
    public void A_malformed_line_names_the_file_and_line(string text, int line, string what)
    {
        string problem = ParseError(text);
        Assert.StartsWith($"test.env:{line}: ", problem, StringComparison.Ordinal);
        Assert.Contains(what, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_line_does_not_show_its_value()
    {
        string problem = ParseError("BMPMOND_DATABASE_URL=\"postgres://u:topsecret@db/x");
        Assert.DoesNotContain("topsecret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_carry_their_line_numbers()
    {
        Assert.True(EnvFile.TryParse("f", "# c\n\nA=1\nB=2", out var entries, out _));
        Assert.Equal([new EnvFileEntry("A", "1", 3), new EnvFileEntry("B", "2", 4)], entries);
    }
}
