namespace AlignmentEngine.Core;

/// <summary>
/// Something wrong or worth attention in a goal tree. <see cref="Goal"/> is the goal it is about (empty for
/// the document's default period), <see cref="Related"/> the other goals involved, sorted by id.
/// Equality ignores the message: two findings are the same finding when code, goal and related agree.
/// </summary>
public sealed class Finding : IEquatable<Finding>, IComparable<Finding>
{
    public Finding(FindingCode code, string goal, IReadOnlyList<string> related, string message)
    {
        ArgumentNullException.ThrowIfNull(goal);
        ArgumentNullException.ThrowIfNull(related);
        Code = code;
        Goal = goal;
        Related = related;
        Message = message ?? string.Empty;
    }

    public FindingCode Code { get; }

    public Severity Severity => Code.Severity();

    public string Goal { get; }

    public IReadOnlyList<string> Related { get; }

    public string Message { get; }

    /// <summary>The spec's result order: severity, then code name, then goal, then related (all ordinal).</summary>
    public int CompareTo(Finding? other)
    {
        if (other is null) return 1;
        var c = Code == other.Code ? 0 : Code.Order().CompareTo(other.Code.Order());
        if (c == 0) c = string.CompareOrdinal(Goal, other.Goal);
        for (var i = 0; c == 0 && i < Math.Min(Related.Count, other.Related.Count); i++)
        {
            c = string.CompareOrdinal(Related[i], other.Related[i]);
        }

        return c != 0 ? c : Related.Count.CompareTo(other.Related.Count);
    }

    public bool Equals(Finding? other)
    {
        if (other is null || Code != other.Code || Goal != other.Goal || Related.Count != other.Related.Count) return false;
        for (var i = 0; i < Related.Count; i++)
        {
            if (Related[i] != other.Related[i]) return false;
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Finding);

    public override int GetHashCode()
    {
        // Indexed, not foreach: an interface enumerator would allocate on a path that hashes thousands of findings.
        var hash = HashCode.Combine(Code, Goal);
        for (var i = 0; i < Related.Count; i++) hash = HashCode.Combine(hash, Related[i]);
        return hash;
    }

    public override string ToString() =>
        Related.Count == 0 ? $"{Code.Name()} {Goal}: {Message}" : $"{Code.Name()} {Goal} [{string.Join(", ", Related)}]: {Message}";
}
