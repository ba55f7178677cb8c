namespace AlignmentEngine.GoalFiles;

/// <summary>
/// Why a goal file could not be read: it is not a well-formed goal file (a usage error, exit code 2), as
/// opposed to a well-formed tree with problems, which the core reports as findings.
/// </summary>
public sealed record GoalFileError(string Path, int Line, int Column, string Message)
{
    /// <summary>The compiler-style form every tool and editor understands: <c>file:line:column: message</c>.</summary>
    public override string ToString() => $"{Path}:{Line}:{Column}: {Message}";
}
