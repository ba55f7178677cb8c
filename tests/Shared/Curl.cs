using System.Diagnostics;

namespace AlignmentEngine.Tests.Shared;

/// <summary>The <c>curl</c> command line tool as a REST/JSON client: what an integrator tries first.</summary>
internal static class Curl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Skips the calling test, with the reason, where curl is not installed.</summary>
    public static void Require()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, "curl")));
        if (!found) Assert.Ignore("curl is not installed: scripts/test installs it (scripts/test.d/30-render-tools.sh)");
    }

    /// <summary>A GET, or a POST of <paramref name="json"/>: the HTTP status and the body.</summary>
    public static async Task<(int Status, string Body)> RunAsync(Uri url, string? json = null, params string[] headers)
    {
        using var process = Start(url, json, headers, "--write-out", "\n%{http_code}");
        if (json is not null)
        {
            await process.StandardInput.WriteAsync(json);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, await error);
        var text = await output;
        var split = text.LastIndexOf('\n');
        return (int.Parse(text[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), text[..split]);
    }

    /// <summary>The first line of a streamed answer (newline-delimited JSON); curl is stopped after it.</summary>
    public static async Task<string> FirstLineAsync(Uri url)
    {
        using var process = Start(url, null, [], "--no-buffer");
        process.StandardInput.Close();
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            return await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"curl ended without a line: {await process.StandardError.ReadToEndAsync()}");
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static Process Start(Uri url, string? json, string[] headers, params string[] extra)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--silent", "--show-error" }.Concat(extra)) start.ArgumentList.Add(arg);
        foreach (var header in headers)
        {
            start.ArgumentList.Add("--header");
            start.ArgumentList.Add(header);
        }

        if (json is not null)
        {
            start.ArgumentList.Add("--header");
            start.ArgumentList.Add("content-type: application/json");
            start.ArgumentList.Add("--data-binary");
            start.ArgumentList.Add("@-");
        }

        start.ArgumentList.Add(url.ToString());
        return Process.Start(start) ?? throw new InvalidOperationException("could not start curl");
    }
}
