using System.Runtime.CompilerServices;
using AlignmentEngine.Core;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// <c>--memory</c>: resident bytes per goal of a built graph with its roll-up state. The managed heap is
/// measured after a full compacting collection before and after building; the input tree is dropped first, so
/// what remains is what the graph holds (its arrays, id strings, index, interned strings and groups).
/// </summary>
internal static class MemoryProbe
{
    public static int Run()
    {
        foreach (var goals in new[] { 100_000, 1_000_000 })
        {
            var (bytes, count) = Measure(goals);
            Console.WriteLine($"{goals,10:N0} goals: {bytes,14:N0} bytes held by the graph = {bytes / (double)count,6:F1} bytes/goal");
        }

        return 0;
    }

    /// <summary>
    /// One size per call, so that no graph of an earlier size is still reachable from a stack slot when the
    /// heap is measured (an unoptimised frame keeps locals alive and skewed a first version by 35 bytes/goal).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Bytes, int Count) Measure(int goals)
    {
        var before = Heap();
        var graph = BuildAndDropTree(goals);
        var after = Heap();
        var count = graph.Count;
        GC.KeepAlive(graph);
        return (after - before, count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static AlignmentGraph BuildAndDropTree(int goals) => Fixtures.Graph(goals);

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
