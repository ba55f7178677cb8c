namespace AlignmentEngine.Rpc.Tests;

/// <summary>Where the repository and the test's sibling build outputs are.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string InteropDirectory => Path.Combine(RepoRoot, "tests", "interop");

    /// <summary>The InteropServer assembly, copied next to the tests by the project reference.</summary>
    public static string InteropServerDll => Path.Combine(AppContext.BaseDirectory, "AlignmentEngine.Rpc.InteropServer.dll");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AlignmentEngine.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (AlignmentEngine.sln).");
    }
}
