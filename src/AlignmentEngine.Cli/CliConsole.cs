namespace AlignmentEngine.Cli;

/// <summary>
/// Where the command line writes, and whether its text may carry colour. Tests hand in their own writers; the
/// process uses its standard streams and colours only a terminal, unless <c>FORCE_COLOR</c> asks (and never
/// with <c>NO_COLOR</c>, https://no-color.org).
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Func<Stream> OpenInput, bool Colour, int Width)
{
    /// <summary>Wide enough that a tree line is not wrapped into a pipe or a file.</summary>
    private const int RedirectedWidth = 240;

    public static CliConsole FromProcess()
    {
        var noColour = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var forceColour = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FORCE_COLOR"));
        var colour = !noColour && (forceColour || !Console.IsOutputRedirected);
        var width = Console.IsOutputRedirected ? RedirectedWidth : Math.Max(Console.WindowWidth, 40);
        return new CliConsole(Console.Out, Console.Error, Console.OpenStandardInput, colour, width);
    }
}
