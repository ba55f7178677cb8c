using System.Globalization;

namespace AlignmentEngine.Soak;

/// <summary>What one soak run does: how long, how many of each client, and the memory bound it is judged by.</summary>
internal sealed record SoakOptions
{
    public required Uri Address { get; init; }

    public double Minutes { get; init; } = 3;

    /// <summary>The server's process id, for its resident memory (none: memory is not sampled or judged).</summary>
    public int? ServerPid { get; init; }

    public int Writers { get; init; } = 2;

    public int Readers { get; init; } = 2;

    public int Watchers { get; init; } = 4;

    /// <summary>Department objectives under the company objective, each with <see cref="KeyResults"/> key results.</summary>
    public int Departments { get; init; } = 20;

    public int KeyResults { get; init; } = 10;

    /// <summary>Time for the server to reach its working size (JIT, pools, caches) before memory growth counts.</summary>
    public double WarmupMinutes { get; init; } = 1;

    /// <summary>Resident memory the server may gain from the end of warm-up to the end of the run.</summary>
    public double MaxGrowthMib { get; init; } = 64;

    public TimeSpan SampleEvery { get; init; } = TimeSpan.FromSeconds(5);

    public static SoakOptions Parse(string[] args)
    {
        Uri? address = null;
        var options = new SoakOptions { Address = new Uri("http://127.0.0.1:50051") };
        for (var k = 0; k < args.Length; k++)
        {
            var value = k + 1 < args.Length ? args[k + 1] : throw new ArgumentException($"{args[k]} needs a value");
            options = args[k] switch
            {
                "--address" => options with { Address = address = Loopback(value) },
                "--minutes" => options with { Minutes = Number(args[k], value) },
                "--server-pid" => options with { ServerPid = (int)Number(args[k], value) },
                "--writers" => options with { Writers = (int)Number(args[k], value) },
                "--readers" => options with { Readers = (int)Number(args[k], value) },
                "--watchers" => options with { Watchers = (int)Number(args[k], value) },
                "--departments" => options with { Departments = (int)Number(args[k], value) },
                "--key-results" => options with { KeyResults = (int)Number(args[k], value) },
                "--warmup-minutes" => options with { WarmupMinutes = Number(args[k], value) },
                "--max-growth-mib" => options with { MaxGrowthMib = Number(args[k], value) },
                _ => throw new ArgumentException($"unknown option {args[k]}"),
            };
            k++;
        }

        if (address is null) throw new ArgumentException("--address URL is required");
        if (options.Minutes <= options.WarmupMinutes) options = options with { WarmupMinutes = options.Minutes / 4 };
        return options;
    }

    // A soak is load: it goes to this machine only.
    private static Uri Loopback(string text)
    {
        var uri = new Uri(text);
        if (!uri.IsLoopback) throw new ArgumentException($"--address must be a loopback address, not {text}");
        return uri;
    }

    private static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"{name} must be a number, 0 or more, not '{text}'");
}
