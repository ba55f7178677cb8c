using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>Reads the goal file a command names: a path, or <c>-</c> for standard input.</summary>
internal static class GoalFileInput
{
    public const string StandardInput = "-";

    /// <summary>The document, or null once the reader's error (<c>file:line:column: message</c>) is on stderr: a usage error.</summary>
    public static GoalTreeDocument? Read(string file, CliConsole console)
    {
        var read = ReadFile(file, console);
        if (read.Succeeded) return read.Document;
        console.Error.WriteLine(read.Error.ToString());
        return null;
    }

    private static GoalFileResult ReadFile(string file, CliConsole console)
    {
        if (file != StandardInput) return GoalFileReader.Default.ReadFile(file);
        using var input = console.OpenInput();
        return GoalFileReader.Default.Read(input, "<stdin>");
    }
}
