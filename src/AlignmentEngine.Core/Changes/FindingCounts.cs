namespace AlignmentEngine.Core;

/// <summary>How many findings of each code a list holds.</summary>
public static class FindingCounts
{
    /// <summary>
    /// The count of every code present in <paramref name="findings"/>, in code order. A change result's list is
    /// counted without writing the findings it defers (the orphans of a re-anchoring wave), so a summary of a
    /// company objective's archive costs nothing like its hundreds of thousands of messages.
    /// </summary>
    public static IReadOnlyList<(FindingCode Code, int Count)> ByCode(IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var counts = new int[Enum.GetValues<FindingCode>().Length];
        if (findings is DeferredOrphanFindings deferred) deferred.CountInto(counts);
        else foreach (var finding in findings) counts[(int)finding.Code]++;

        var result = new List<(FindingCode, int)>();
        for (var code = 0; code < counts.Length; code++)
        {
            if (counts[code] > 0) result.Add(((FindingCode)code, counts[code]));
        }

        return result;
    }
}
