namespace AlignmentEngine.Cli.Tests.Support;

/// <summary>
/// Graphviz and Chromium, which scripts/test.d/30-render-tools.sh installs. A developer without them can still
/// run everything else: the tests that need them are skipped, saying why.
/// </summary>
internal static class RenderTools
{
    public static string Dot => Find("dot") ?? Skip("Graphviz 'dot' is not installed (scripts/test.d/30-render-tools.sh installs it: apt-get install graphviz)");

    public static string Chromium => Find("chromium") ?? Find("chromium-browser")
        ?? Skip("Chromium is not installed (scripts/test.d/30-render-tools.sh installs it: apt-get install chromium)");

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string Skip(string reason)
    {
        Assert.Ignore(reason);
        return string.Empty;
    }
}
