namespace AlignmentEngine.Storage;

/// <summary>Another writer (another process on the same database) committed the version first; nothing was written.</summary>
public sealed class StoreConflictException : Exception
{
    public StoreConflictException()
    {
    }

    public StoreConflictException(string message)
        : base(message)
    {
    }

    public StoreConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
