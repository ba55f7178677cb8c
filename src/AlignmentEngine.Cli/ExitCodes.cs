namespace AlignmentEngine.Cli;

/// <summary>The exit codes of <c>okr validate</c> and <c>okr rollup</c> (goal-tree-format.md).</summary>
public static class ExitCodes
{
    /// <summary>No finding at or above the <c>--fail-on</c> level.</summary>
    public const int Ok = 0;

    /// <summary>At least one finding at or above the <c>--fail-on</c> level (default: error).</summary>
    public const int Findings = 1;

    /// <summary>A usage error: bad arguments, or a file that cannot be read or is not a goal file.</summary>
    public const int Usage = 2;
}
