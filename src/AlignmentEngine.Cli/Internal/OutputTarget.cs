using System.Text;

namespace AlignmentEngine.Cli.Internal;

/// <summary>Where a command's document goes: the file named by <c>-o</c>, else standard output.</summary>
internal static class OutputTarget
{
    /// <summary>Writes the document; false (with the reason on stderr) when the file cannot be written.</summary>
    public static bool Write(string? path, string content, CliConsole console)
    {
        if (path is null or "-")
        {
            console.Out.Write(content);
            console.Out.Flush();
            return true;
        }

        try
        {
            File.WriteAllText(path, content, new UTF8Encoding(false));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            console.Error.WriteLine($"okr: cannot write {path}: {e.Message}");
            return false;
        }
    }
}
