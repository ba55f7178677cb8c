namespace AlignmentEngine.Tests.Shared;

/// <summary>Finds the checkout and the shared spec folder from wherever the test assembly runs.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The directory holding <c>AlignmentEngine.sln</c>.</summary>
    public static string Root => RootPath.Value;

    /// <summary><c>shared/conformance</c>, which sits beside the checkout.</summary>
    public static string Conformance => Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance"));

    /// <summary>Every conformance vector's goal file, sorted by name.</summary>
    public static IReadOnlyList<string> ConformanceVectors() =>
        Directory.GetFiles(Conformance, "*.yaml").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every conformance vector as a test case named after its file.</summary>
    public static IEnumerable<TestCaseData> ConformanceCases() =>
        ConformanceVectors().Select(path => new TestCaseData(path).SetArgDisplayNames(Path.GetFileName(path)));

    /// <summary>The expected result file of a vector.</summary>
    public static string ExpectedFor(string vector) => Path.ChangeExtension(vector, null) + ".expected.json";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlignmentEngine.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No AlignmentEngine.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
