namespace AlignmentEngine.Cli.Internal;

/// <summary>The last line of defence of every file command: a bug is one line on stderr and exit 2, never a stack trace in a pipeline.</summary>
internal static class CommandGuard
{
    public static int Run(string command, string file, CliConsole console, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            console.Error.WriteLine($"okr: internal error in {command} on {file}: {e.GetType().Name}: {OneLine.Of(e)}");
            return ExitCodes.Usage;
        }
    }

    /// <inheritdoc cref="Run"/>
    public static async Task<int> RunAsync(string command, string file, CliConsole console, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            console.Error.WriteLine($"okr: internal error in {command} on {file}: {e.GetType().Name}: {OneLine.Of(e)}");
            return ExitCodes.Usage;
        }
    }
}
