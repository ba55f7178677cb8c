namespace AlignmentEngine.GoalFiles.Internal;

/// <summary>The keys one kind of mapping allows: anything else is a typo, and a typo must not pass silently.</summary>
internal sealed class KeySchema
{
    public KeySchema(string context, params string[] keys)
    {
        // Duplicate detection keeps one bit per key.
        System.Diagnostics.Debug.Assert(keys.Length <= 32, "a schema has at most 32 keys");
        Context = context;
        Keys = keys;
        Expected = string.Join(", ", keys);
    }

    /// <summary>What the mapping is, as messages name it ("goal", "metric", ...).</summary>
    public string Context { get; }

    public IReadOnlyList<string> Keys { get; }

    /// <summary>The allowed keys as a message lists them.</summary>
    public string Expected { get; }

    public int IndexOf(string key)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            if (string.Equals(Keys[i], key, StringComparison.Ordinal)) return i;
        }

        return -1;
    }
}
