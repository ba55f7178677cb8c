using Spectre.Console;

namespace AlignmentEngine.Cli.Internal;

/// <summary>A Spectre.Console console over the command's own writers, coloured only where <see cref="CliConsole"/> allows.</summary>
internal static class SpectreConsole
{
    /// <param name="interactive">Live widgets (progress bars) are drawn only on a terminal.</param>
    public static IAnsiConsole Create(CliConsole console, bool interactive = false)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = console.Colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = console.Colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive && console.Colour ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(console.Out),
        });
        ansi.Profile.Width = console.Width;

        // Bars are block characters whatever the terminal's declared encoding; tree guides and tables match them.
        ansi.Profile.Capabilities.Unicode = true;
        return ansi;
    }
}
