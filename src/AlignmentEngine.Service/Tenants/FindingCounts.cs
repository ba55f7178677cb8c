using AlignmentEngine.Core;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// How many findings of each code a tenant has: set by every full analysis (AnalyzeAlignment, an import), then moved
/// by what each committed change makes appear or disappear. Unknown (nothing reported) from start or a reload until
/// the tenant's first analysis, because counting them would cost a full analysis nobody asked for.
/// </summary>
internal sealed class FindingCounts
{
    private readonly Lock _lock = new();
    private int[]? _counts;

    public void Set(IEnumerable<Finding> findings)
    {
        var counts = new int[Enum.GetValues<FindingCode>().Length];
        foreach (var finding in findings) counts[(int)finding.Code]++;
        lock (_lock) _counts = counts;
    }

    public void Move(IEnumerable<Finding> appeared, IEnumerable<Finding> disappeared)
    {
        lock (_lock)
        {
            if (_counts is null) return;
            foreach (var finding in appeared) _counts[(int)finding.Code]++;
            foreach (var finding in disappeared) _counts[(int)finding.Code] = Math.Max(0, _counts[(int)finding.Code] - 1);
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
