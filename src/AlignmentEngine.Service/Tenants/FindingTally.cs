using AlignmentEngine.Core;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// How many findings of each code a tenant has (the <c>okr.findings</c> gauge): set by every full analysis
/// (AnalyzeAlignment, an import), then moved by what each committed change makes appear or disappear. Unknown
/// (nothing reported) from start or a reload until the tenant's first analysis, because counting them would cost a
/// full analysis nobody asked for.
/// </summary>
internal sealed class FindingTally
{
    private readonly Lock _lock = new();
    private int[]? _counts;

    public void Set(IReadOnlyList<Finding> findings)
    {
        var counts = new int[Enum.GetValues<FindingCode>().Length];
        foreach (var (code, count) in FindingCounts.ByCode(findings)) counts[(int)code] = count;
        lock (_lock) _counts = counts;
    }

    /// <summary>
    /// Moves the counts by a change's findings. Counted by code, not enumerated: a change result writes the orphan
    /// findings of a re-anchoring wave only when its list is read, and a commit must not write them just to count.
    /// </summary>
    public void Move(IReadOnlyList<Finding> appeared, IReadOnlyList<Finding> disappeared)
    {
        var up = FindingCounts.ByCode(appeared);
        var down = FindingCounts.ByCode(disappeared);
        lock (_lock)
        {
            if (_counts is null) return;
            foreach (var (code, count) in up) _counts[(int)code] += count;
            foreach (var (code, count) in down) _counts[(int)code] = Math.Max(0, _counts[(int)code] - count);
        }
    }

    public void Forget()
    {
        lock (_lock) _counts = null;
    }

    /// <summary>Every code's count (zeros included, so a chart falls to zero rather than stopping), or none when unknown.</summary>
    public IReadOnlyList<(FindingCode Code, int Count)> Read()
    {
        lock (_lock) return _counts is null ? [] : [.. _counts.Select((count, code) => ((FindingCode)code, count))];
    }
}
