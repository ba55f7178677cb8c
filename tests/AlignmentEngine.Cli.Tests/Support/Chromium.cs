using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests.Support;

/// <summary>Headless Chromium looking at a page or a picture okr wrote, as a reader's browser would.</summary>
internal static class Chromium
{
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Where screenshots are kept for people to look at (git ignores it).</summary>
    public static string OutputFolder => Directory.CreateDirectory(Path.Combine(RepoPaths.Root, ".test-output", "screenshots")).FullName;

    /// <summary>Screenshots <paramref name="file"/> at <paramref name="width"/> × <paramref name="height"/> into .test-output/screenshots/<paramref name="name"/>.</summary>
    public static Png Screenshot(string file, string name, int width, int height)
    {
        var chromium = RenderTools.Chromium;
        var screenshot = Path.Combine(OutputFolder, name);
        File.Delete(screenshot);
        var profile = Directory.CreateTempSubdirectory("okr-chromium-");
        try
        {
            var run = ExternalProcess.Run(chromium,
                [.. Flags, $"--user-data-dir={profile.FullName}", $"--screenshot={screenshot}", $"--window-size={width},{height}", new Uri(file).AbsoluteUri],
                timeout: TimeSpan.FromMinutes(3));
            File.Exists(screenshot).Should().BeTrue(run.ToString());
            return Png.Read(File.ReadAllBytes(screenshot));
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    /// <summary>The page's DOM after load (and after its script ran), opened with <paramref name="fragment"/> in its address.</summary>
    public static string DumpDom(string file, string? fragment = null)
    {
        var chromium = RenderTools.Chromium;
        var profile = Directory.CreateTempSubdirectory("okr-chromium-");
        try
        {
            var run = ExternalProcess.Run(chromium, [.. Flags, $"--user-data-dir={profile.FullName}", "--dump-dom", new Uri(file).AbsoluteUri + (fragment is null ? "" : "#" + fragment)],
                timeout: TimeSpan.FromMinutes(3));
            run.ExitCode.Should().Be(0, run.ToString());
            return run.StandardOutput;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
