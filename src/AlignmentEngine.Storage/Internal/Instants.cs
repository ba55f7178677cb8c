namespace AlignmentEngine.Storage.Internal;

/// <summary>Instants as stored: microseconds since the Unix epoch, UTC.</summary>
internal static class Instants
{
    public static long ToStored(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromStored(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero);
}
