namespace AlignmentEngine.Cli.Tests.Support;

/// <summary>A goal file written for one test and deleted after it.</summary>
internal sealed class TempGoalFile : IDisposable
{
    public TempGoalFile(string content, string extension = ".yaml")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"okr-test-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
