namespace AlignmentEngine.Storage;

/// <summary>The database's schema is newer than this code knows: refusing to run rather than misread it.</summary>
public sealed class StoreSchemaException : Exception
{
    public StoreSchemaException()
    {
    }

    public StoreSchemaException(string message)
        : base(message)
    {
    }

    public StoreSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
