using Wirekit.Cli.Terminal;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Cli;

/// <summary>The line editor on a fake terminal: keys in, the screen a person would see out.</summary>
public sealed class TerminalLineConsoleTests
{
    [Fact]
    public async Task A_line_that_arrives_while_typing_is_printed_above_the_typed_line_not_glued_onto_it()
    {
        var (terminal, console) = Open(width: 80);
        var read = console.ReadLineAsync(CancellationToken.None);
        terminal.Type("hello wor");
        await ShowsAsync(terminal, "> hello wor");

        console.Print("<bob> hi");

        Assert.Equal(["<bob> hi", "> hello wor"], terminal.Screen);
        Assert.Equal((1, 11), terminal.Cursor);
        terminal.Type("ld\r");
        Assert.Equal("hello world", await read.WaitAsync(Deadline.Default));
        Assert.Equal(["<bob> hi", "> hello world", ">"], terminal.Screen);
    }

    [Fact]
    public async Task A_typed_line_longer_than_the_terminal_leaves_no_stale_copies_when_lines_arrive()
    {
        var (terminal, console) = Open(width: 20);
        _ = console.ReadLineAsync(CancellationToken.None);
        var typed = string.Concat(Enumerable.Range(0, 5).Select(i => $"word{i} and more ")).TrimEnd();
        terminal.Type(typed);
        await ShowsAsync(terminal, "more");

        console.Print("<bob> one");
        console.Print("<bob> two");
        terminal.Press(ConsoleKey.Home);
        await Deadline.UntilAsync(() => terminal.Cursor == (2, 2), "the cursor at the start of the typed line, its first row");
        console.Print("<bob> three");

        var screen = terminal.Screen;
        Assert.Equal(["<bob> one", "<bob> two", "<bob> three"], screen.Take(3));
        Assert.Equal(EditLayout.Of("> ", typed, 0, 20).Rows.Select(row => row.TrimEnd()), screen.Skip(3));
        Assert.Equal(4, screen.Count - 3); // 2 + 74 columns in rows of 19
        Assert.All(screen.Skip(3), row => Assert.True(row.Length <= 19, $"row '{row}' reaches the last column"));
        Assert.Single(screen, row => row.Contains("word0", StringComparison.Ordinal));
        Assert.Equal((3, 2), terminal.Cursor);
    }

    [Fact]
    public async Task After_the_window_narrows_the_typed_line_is_drawn_again_for_the_new_width()
    {
        var (terminal, console) = Open(width: 40);
        _ = console.ReadLineAsync(CancellationToken.None);
        var typed = "a line that fits in forty columns";
        terminal.Type(typed);
        await ShowsAsync(terminal, "columns");

        terminal.Width = 20;
        console.Resized();

        // At once, not at the next key or incoming line.
        var screen = terminal.Screen;
        Assert.Equal(EditLayout.Of("> ", typed, typed.Length, 20).Rows.Select(row => row.TrimEnd()), screen);
        Assert.All(screen, row => Assert.True(row.Length <= 20, $"row '{row}' is wider than the window"));
        Assert.Single(screen, row => row.Contains("a line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backspace_deletes_a_whole_emoji_or_letter_with_its_mark_and_never_leaves_half_a_character()
    {
        var (terminal, console) = Open(width: 80);
        var read = console.ReadLineAsync(CancellationToken.None);
        terminal.Type("hi \U0001F600\U0001F44D\U0001F3FD e\u0301");
        terminal.Press(ConsoleKey.Backspace); // é (e + combining acute)
        terminal.Press(ConsoleKey.Backspace); // the space
        terminal.Press(ConsoleKey.Backspace); // thumbs up with its skin tone: one grapheme, two code points
        terminal.Type("!\r");

        var line = await read.WaitAsync(Deadline.Default);

        Assert.Equal("hi \U0001F600!", line);
        Assert.DoesNotContain('\uFFFD', System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(line!)));
    }

    [Fact]
    public async Task Wide_characters_take_two_columns_and_the_cursor_keys_move_over_them_whole()
    {
        var (terminal, console) = Open(width: 80);
        var read = console.ReadLineAsync(CancellationToken.None);
        terminal.Type("한글이름");
        terminal.Press(ConsoleKey.LeftArrow);
        terminal.Press(ConsoleKey.LeftArrow);
        await Deadline.UntilAsync(() => terminal.Cursor == (0, 6), "the cursor two wide characters from the end (column 2 + 2 + 2)");

        terminal.Type("-");
        terminal.Press(ConsoleKey.End);
        terminal.Press(ConsoleKey.Delete); // nothing after the cursor: no change
        terminal.Type("\r");

        Assert.Equal("한글-이름", await read.WaitAsync(Deadline.Default));
    }

    [Fact]
    public async Task Home_End_Ctrl_A_E_U_K_W_and_Delete_edit_as_in_a_shell()
    {
        var (terminal, console) = Open(width: 80);

        Assert.Equal("say world", await EditAsync(console, terminal, () =>
        {
            terminal.Type("hello world");
            terminal.Press(ConsoleKey.A, control: true);
            terminal.Press(ConsoleKey.Delete);
            terminal.Press(ConsoleKey.Delete);
            terminal.Press(ConsoleKey.Delete);
            terminal.Press(ConsoleKey.Delete);
            terminal.Press(ConsoleKey.Delete); // "hello" gone
            terminal.Type("say");
        }));
        Assert.Equal("keep ", await EditAsync(console, terminal, () =>
        {
            terminal.Type("keep this");
            terminal.Press(ConsoleKey.W, control: true);
        }));
        Assert.Equal("tail", await EditAsync(console, terminal, () =>
        {
            terminal.Type("head tail");
            terminal.Press(ConsoleKey.LeftArrow);
            terminal.Press(ConsoleKey.LeftArrow);
            terminal.Press(ConsoleKey.LeftArrow);
            terminal.Press(ConsoleKey.LeftArrow);
            terminal.Press(ConsoleKey.U, control: true);
            terminal.Press(ConsoleKey.E, control: true);
        }));
        Assert.Equal("cut", await EditAsync(console, terminal, () =>
        {
            terminal.Type("cut here");
            terminal.Press(ConsoleKey.Home);
            terminal.Press(ConsoleKey.RightArrow);
            terminal.Press(ConsoleKey.RightArrow);
            terminal.Press(ConsoleKey.RightArrow);
            terminal.Press(ConsoleKey.K, control: true);
        }));
    }

    [Fact]
    public async Task Up_and_Down_walk_the_history_and_come_back_to_the_line_being_written()
    {
        var (terminal, console) = Open(width: 80);
        await EditAsync(console, terminal, () => terminal.Type("first"));
        await EditAsync(console, terminal, () => terminal.Type("second"));

        Assert.Equal("first", await EditAsync(console, terminal, () =>
        {
            terminal.Press(ConsoleKey.UpArrow);
            terminal.Press(ConsoleKey.UpArrow);
            terminal.Press(ConsoleKey.UpArrow); // past the oldest: stays
        }));
        Assert.Equal("draft", await EditAsync(console, terminal, () =>
        {
            terminal.Type("draft");
            terminal.Press(ConsoleKey.UpArrow);
            terminal.Press(ConsoleKey.DownArrow);
        }));
    }

    [Fact]
    public async Task Ctrl_D_on_an_empty_line_is_end_of_input()
    {
        var (terminal, console) = Open(width: 80);
        var read = console.ReadLineAsync(CancellationToken.None);
        terminal.Press(ConsoleKey.D, control: true);

        Assert.Null(await read.WaitAsync(Deadline.Default));
    }

    [Fact]
    public async Task Finish_ends_the_prompt_line_so_the_shell_prompt_starts_on_a_fresh_line()
    {
        var (terminal, console) = Open(width: 20);
        _ = console.ReadLineAsync(CancellationToken.None);
        terminal.Type("not sent, but kept in sight");
        await ShowsAsync(terminal, "sight");
        terminal.Press(ConsoleKey.Home);
        await Deadline.UntilAsync(() => terminal.Cursor == (0, 2), "the cursor at the start of the line");

        console.Finish();
        console.Print("error: the server closed the connection");

        Assert.Equal(["> not sent, but kep", "t in sight"], terminal.Screen.Take(2));
        Assert.StartsWith("error: the server", terminal.Screen[2]);
        Assert.Equal(0, terminal.Cursor.Column);

        var (empty, emptyConsole) = Open(width: 80);
        emptyConsole.Print("<bob> bye");
        _ = emptyConsole.ReadLineAsync(CancellationToken.None);
        await ShowsAsync(empty, ">");
        emptyConsole.Finish();
        Assert.Equal(["<bob> bye"], empty.Screen); // the empty prompt is gone: the shell's prompt takes its row
        Assert.Equal((1, 0), empty.Cursor);
    }

    private static (FakeTerminal Terminal, TerminalLineConsole Console) Open(int width)
    {
        var terminal = new FakeTerminal(width);
        return (terminal, new TerminalLineConsole(terminal, terminal, () => terminal.Width));
    }

    private static async Task<string?> EditAsync(TerminalLineConsole console, FakeTerminal terminal, Action keys)
    {
        var read = console.ReadLineAsync(CancellationToken.None);
        keys();
        terminal.Press(ConsoleKey.Enter);
        return await read.WaitAsync(Deadline.Default);
    }

    private static Task ShowsAsync(FakeTerminal terminal, string text)
        => Deadline.UntilAsync(() => terminal.Screen.Count > 0 && terminal.Screen[^1].EndsWith(text, StringComparison.Ordinal), $"the screen to end with '{text}'");
}
