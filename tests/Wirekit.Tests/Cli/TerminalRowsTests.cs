using Wirekit.Cli.Terminal;

namespace Wirekit.Tests.Cli;

public sealed class TerminalRowsTests
{
    [Fact]
    public void A_message_padded_to_the_width_cannot_start_a_row_with_a_notice_of_its_own()
    {
        var forged = "<mallory> " + new string('x', 70) + "-!- server shutting down";

        var rows = TerminalRows.Of(forged, width: 80).ToList();

        Assert.Equal(["<mallory> " + new string('x', 69), "  x-!- server shutting down"], rows);
        Assert.All(rows.Skip(1), row => Assert.StartsWith(TerminalRows.Indent, row));
    }

    [Fact]
    public void Wide_characters_count_two_columns_and_a_short_line_is_one_row()
    {
        Assert.Equal(["<alice> hi"], TerminalRows.Of("<alice> hi", width: 80));
        // Rows of at most 9 columns on a 10-column terminal: "<a> " is 4, each Hangul syllable 2.
        Assert.Equal(["<a> \ud55c\uae00", "  \uc774\ub984"], TerminalRows.Of("<a> \ud55c\uae00\uc774\ub984", width: 10));
    }
}
