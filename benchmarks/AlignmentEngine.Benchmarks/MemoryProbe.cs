using System.Runtime.CompilerServices;
using AlignmentEngine.Core;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// <c>--memory</c>: resident bytes per goal of a built graph with its roll-up state. The managed heap is
/// measured after a full collection before and after building; the input tree is dropped first, so what
/// remains is what the graph holds (its arrays, id strings, index, interned strings and groups).
/// </summary>
internal static class MemoryProbe
{
    public static int Run()
    {
        foreach (var goals in new[] { 100_000, 1_000_000 })
        {
            var before = Heap();
            var graph = BuildAndDropTree(goals);
            var after = Heap();
            var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            Console.WriteLine(
                $"{goals,10:N0} goals: {after - before,14:N0} bytes held by the graph = {(after - before) / (double)graph.Count,6:F1} bytes/goal " +
                $"(heap after {info.HeapSizeBytes:N0}, committed {info.TotalCommittedBytes:N0})");
            GC.KeepAlive(graph);
        }

        return 0;
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
