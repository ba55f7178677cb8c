using System.Reflection;
using System.Runtime.CompilerServices;
using AlignmentEngine.Core;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// <c>--memory-breakdown</c>: where a built graph's resident bytes go. Drops the graph's fields one at a time
/// (descending into its own helper objects in AlignmentEngine.Core.Graph) and measures the managed heap after
/// each drop, so every figure is what that field alone keeps alive. Reflection over private fields, on purpose:
/// the probe must follow the graph's layout without the core exposing it. Objects shared by two fields are
/// counted under the later one (the id strings under <c>_id</c>, after the index that also refers to them).
/// The graph is unusable afterwards; it is built for this and thrown away.
/// </summary>
internal static class MemoryBreakdown
{
    public static int Run(int goals)
    {
        var (total, rows) = Measure(goals);
        Console.WriteLine($"{goals:N0} goals, {total:N0} bytes held by the graph ({total / (double)goals:F1} bytes/goal)");
        foreach (var (name, bytes) in rows.Where(r => r.Bytes != 0).OrderByDescending(r => r.Bytes))
        {
            Console.WriteLine($"  {name,-36} {bytes,14:N0}  {bytes / (double)goals,7:F1} B/goal");
        }

        var counted = rows.Sum(r => r.Bytes);
        Console.WriteLine($"  {"(not attributed to a field)",-36} {total - counted,14:N0}  {(total - counted) / (double)goals,7:F1} B/goal");
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Total, List<(string Name, long Bytes)> Rows) Measure(int goals)
    {
        var before = Heap();
        var graph = Build(goals);
        var last = Heap();
        var total = last - before;
        var rows = new List<(string, long)>();
        foreach (var (owner, field, name) in Fields(graph))
        {
            field.SetValue(owner, null);
            var now = Heap();
            rows.Add((name, last - now));
            last = now;
        }

        GC.KeepAlive(graph);
        return (total, rows);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static AlignmentGraph Build(int goals) => Fixtures.Graph(goals);

    /// <summary>
    /// Reference-typed instance fields in declaration order; helpers of the core's Graph namespace opened up.
    /// Listed up front, holding no field's value, so that nothing here keeps a dropped object alive.
    /// </summary>
    private static List<(object Owner, FieldInfo Field, string Name)> Fields(object graph)
    {
        var list = new List<(object, FieldInfo, string)>();
        foreach (var field in ReferenceFields(graph.GetType()))
        {
            if (field.FieldType.Namespace == "AlignmentEngine.Core.Graph" && field.GetValue(graph) is { } helper)
            {
                foreach (var inner in ReferenceFields(helper.GetType())) list.Add((helper, inner, $"{field.Name}.{inner.Name}"));
            }

            list.Add((graph, field, field.Name));
        }

        return list;
    }

    private static IEnumerable<FieldInfo> ReferenceFields(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => !f.FieldType.IsValueType)
            .OrderBy(f => f.MetadataToken);

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
