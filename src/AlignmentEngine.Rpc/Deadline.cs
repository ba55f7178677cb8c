namespace AlignmentEngine.Rpc;

/// <summary>Helpers for the <see cref="DateTime"/> deadlines used by calls (UTC; MaxValue means none).</summary>
public static class Deadline
{
    /// <summary>No deadline.</summary>
    public static DateTime None => DateTime.MaxValue;

    /// <summary>A deadline <paramref name="timeout"/> from now.</summary>
    public static DateTime After(TimeSpan timeout) => DateTime.UtcNow + timeout;
}
