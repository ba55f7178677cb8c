using System.ComponentModel;
using System.Diagnostics;

namespace AlignmentEngine.Cli.Internal;

/// <summary>Runs Graphviz <c>dot</c>, where installed, to turn DOT into SVG.</summary>
internal static class GraphvizDot
{
    public const string NotFound =
        "Graphviz 'dot' was not found on PATH: install graphviz (apt-get install graphviz) or use --format dot";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The SVG, or null with <paramref name="error"/> saying why there is none.</summary>
    public static string? ToSvg(string dot, out string error)
    {
        var program = FindOnPath("dot");
        if (program is null)
        {
            error = NotFound;
            return null;
        }

        var start = new ProcessStartInfo(program, ["-Tsvg"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start) ?? throw new Win32Exception($"could not start {program}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();

            // Graphviz reads UTF-8 by default; the writer must not prepend a byte order mark.
            using (var input = new StreamWriter(process.StandardInput.BaseStream, new System.Text.UTF8Encoding(false)))
            {
                input.Write(dot);
            }

            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                error = $"Graphviz 'dot' did not finish within {Timeout.TotalSeconds:0} s";
                return null;
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                error = $"Graphviz 'dot' failed (exit {process.ExitCode}): {stderr.GetAwaiter().GetResult().Trim()}";
                return null;
            }

            error = string.Empty;
            return stdout.GetAwaiter().GetResult();
        }
        catch (Win32Exception e)
        {
            error = $"Graphviz 'dot' could not be run ({e.Message}): install graphviz (apt-get install graphviz) or use --format dot";
            return null;
        }
    }

    /// <summary>
    /// Looks the program up ourselves rather than letting process start fail: "not installed" deserves its own
    /// message, not an exception's.
    /// </summary>
    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows() ? [name + ".exe"] : new[] { name })
            {
                var full = Path.Combine(directory, candidate);
                if (File.Exists(full)) return full;
            }
        }

        return null;
    }
}
