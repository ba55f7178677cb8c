namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// A base for tests that run <c>okr serve</c> processes on a SQLite store of their own: each test gets a fresh folder
/// (removed afterwards) and the <c>--store</c> value of the database in it, so that a restarted process finds what the
/// killed one committed.
/// </summary>
public abstract class ScratchStoreTests
{
    protected string Folder { get; private set; } = null!;

    protected string Store => $"sqlite:{Path.Combine(Folder, "alignment.db")}";

    [SetUp]
    public void MakeFolder()
    {
        Folder = Path.Combine(Path.GetTempPath(), "okr-e2e-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(Folder, recursive: true);
}
