namespace AlignmentEngine.Core;

/// <summary>The spec's rule for goal ids, for the edges (file reader, service) to check before the core sees one.</summary>
public static class GoalIds
{
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="id"/> is not a valid goal id, or null: 1–128 characters, no control characters.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "a goal id must not be empty";
        if (id.Length > MaxLength) return $"a goal id has at most {MaxLength} characters, this one has {id.Length}";
        foreach (var ch in id)
        {
            if (char.IsControl(ch)) return $"a goal id must not contain control characters (U+{(int)ch:X4})";
        }

        return null;
    }
}
