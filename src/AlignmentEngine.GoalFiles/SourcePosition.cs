namespace AlignmentEngine.GoalFiles;

/// <summary>A place in a goal file, both numbers counted from 1 (as editors and SARIF count them).</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    /// <summary>The position of problems that belong to the whole file (empty, too large, not text).</summary>
    public static SourcePosition FileStart { get; } = new(1, 1);

    public override string ToString() => $"{Line}:{Column}";
}
