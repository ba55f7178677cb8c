namespace AlignmentEngine.Interop.Tests;

/// <summary>Where the test's sibling build outputs are.</summary>
internal static class TestPaths
{
    /// <summary>The InteropServer assembly, copied next to the tests by the project reference.</summary>
    public static string InteropServerDll => Path.Combine(AppContext.BaseDirectory, "AlignmentEngine.InteropServer.dll");
}
