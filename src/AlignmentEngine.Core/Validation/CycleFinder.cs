namespace AlignmentEngine.Core.Validation;

/// <summary>
/// Groups of nodes that all reach each other (strongly connected components of two or more nodes, or one node
/// with an edge to itself), by Tarjan's algorithm run with an explicit stack: no recursion, so a chain of a
/// million goals is fine.
/// </summary>
internal static class CycleFinder
{
    /// <param name="nodeCount">Nodes are 0..nodeCount-1.</param>
    /// <param name="successors">The edges leaving each node (either direction of alignment works: components are the same).</param>
    public static List<int[]> FindCycles(int nodeCount, int[][] successors)
    {
        var index = new int[nodeCount];
        var low = new int[nodeCount];
        var onStack = new bool[nodeCount];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Next)>();
        var cycles = new List<int[]>();
        var counter = 0;

        for (var root = 0; root < nodeCount; root++)
        {
            if (index[root] >= 0) continue;
            work.Push((root, 0));
            index[root] = low[root] = counter++;
            stack.Push(root);
            onStack[root] = true;
            while (work.Count > 0)
            {
                var (v, next) = work.Pop();
                var succ = successors[v];
                if (next < succ.Length)
                {
                    work.Push((v, next + 1));
                    var w = succ[next];
                    if (index[w] < 0)
                    {
                        index[w] = low[w] = counter++;
                        stack.Push(w);
                        onStack[w] = true;
                        work.Push((w, 0));
                    }
                    else if (onStack[w])
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }

                    continue;
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[v]);
                }

                if (low[v] != index[v]) continue;
                if (stack.Peek() == v)
                {
                    // A component of one node (nearly all of them): a cycle only with an edge to itself.
                    stack.Pop();
                    onStack[v] = false;
                    if (Array.IndexOf(succ, v) >= 0) cycles.Add([v]);
                    continue;
                }

                var component = new List<int>();
                int x;
                do
                {
                    x = stack.Pop();
                    onStack[x] = false;
                    component.Add(x);
                }
                while (x != v);

                cycles.Add([.. component]);
            }
        }

        return cycles;
    }
}
