using System.Diagnostics;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>Polls a condition until it holds or a generous deadline passes: no test depends on a timing.</summary>
internal static class Eventually
{
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (await condition()) return clock.Elapsed;
            await Task.Delay(20);
        }

        Assert.Fail($"{what}: still not true after {deadline.TotalSeconds} s");
        return clock.Elapsed;
    }
}
