namespace AlignmentEngine.Core.Graph;

/// <summary>
/// The goals' columns: one array per attribute, indexed by node. The columns are declared once, in
/// <see cref="EachColumn"/>; allocating, growing and copying a row between tables (what the change journal saves
/// and restores) all go through that one list, so a new column is added in one place and cannot be forgotten by
/// rollback. Stated columns are written by building and by change sets; derived ones by propagation and the
/// full passes. Inside a change set every write goes through <see cref="ChangeJournal"/>, which saves first.
/// </summary>
internal sealed class NodeTable
{
    public const int NoDay = int.MinValue;
    public const sbyte NoLevel = -1;
    public const sbyte NoMetric = -1;

    // Stated: the goal as defined (and checked in).
    public string?[] Id = null!; // null: a free slot
    public GoalType[] Type = null!;
    public sbyte[] OwnLevel = null!;
    public GoalState[] State = null!;
    public DayRange[] OwnDays = null!; // DayRange.None: the goal states no period
    public int[] PeriodName = null!; // interned: a handful of names shared by most goals
    public sbyte[] Direction = null!; // NoMetric: the goal has no metric
    public MetricNumbers[] Metric = null!;
    public int[] Unit = null!;
    public int[] Key = null!;
    public bool[] Aggregates = null!;
    public int[] Owner = null!;
    public string?[] Title = null!;

    // Derived, kept current by propagation; Progress holds the stated override beside the derived attainment and
    // effective current, the numbers evaluating a goal reads and writes together.
    public double[] Value = null!;
    public ProgressNumbers[] Progress = null!;
    public bool[] Anchored = null!;
    public DayRange[] ResolvedDays = null!;
    public sbyte[] ResolvedLevel = null!;

    // rank[child] > rank[parent] for every edge, so propagation can visit nodes in dependency order.
    public int[] Rank = null!;

    // Whether a change result holds Id as its snapshot of the ids (ShareIds): the next write that changes an id copies
    // the column first (OwnIds), so the result goes on reading the ids it was made with.
    private bool _idsShared;

    // Whether large columns ask for 2 MB pages (LargePages): the graph's do, read at random; saved rows do not, being
    // written and read in order, where 4 KB pages serve as well and a change set that grows them need not wait for more.
    private readonly bool _onLargePages;

    public NodeTable(int capacity, bool onLargePages)
    {
        _onLargePages = onLargePages;
        var allocate = new Allocate(capacity, onLargePages);
        EachColumn(this, this, ref allocate);
        Capacity = capacity;
    }

    /// <summary>Rows every column holds.</summary>
    public int Capacity { get; private set; }

    /// <summary>Slots in use, live or free: the extent of every full pass.</summary>
    public int End { get; set; }

    /// <summary>Live goals.</summary>
    public int Count { get; set; }

    /// <summary>Free slots below <see cref="End"/>, reused before the table grows.</summary>
    public Stack<int> Free { get; } = new();

    public bool IsAlive(int node) => Id[node] is not null;

    /// <summary>
    /// The id column, for a change result to resolve node indices to ids after the graph has moved on: it stays as it
    /// is now, because a later write that changes an id works on a copy (<see cref="OwnIds"/>). Writing an id back
    /// unchanged (a rollback) needs no copy.
    /// </summary>
    public string?[] ShareIds()
    {
        _idsShared = true;
        return Id;
    }

    /// <summary>
    /// Call before writing an id that differs from the one there: a column shared by <see cref="ShareIds"/> is copied
    /// first. True when it was, so that whoever keeps the column (the id index) takes the new one.
    /// </summary>
    public bool OwnIds()
    {
        if (!_idsShared) return false;
        Id = (string?[])Id.Clone();
        _idsShared = false;
        return true;
    }

    public bool IsCounted(int node) => State[node].IsCounted();

    public bool HasMetric(int node) => Direction[node] != NoMetric;

    public Period? ResolvedPeriod(int node) => ResolvedDays[node].ToPeriod();

    public Period? OwnPeriod(int node) => OwnDays[node].ToPeriod();

    /// <summary>A summing child of an aggregating parent: its edge counts, and it has a metric in the parent's unit.</summary>
    public bool IsSumming(EdgeTable edges, int edge, int child, int parent) =>
        edges.Counts(edge) && HasMetric(child) && Unit[child] == Unit[parent];

    /// <summary>Grows every column to hold at least <paramref name="needed"/> rows (doubling); true when it grew.</summary>
    public bool EnsureCapacity(int needed)
    {
        if (Capacity >= needed) return false;
        var size = Math.Max(needed, Capacity * 2);
        var resize = new Resize(size, _onLargePages);
        EachColumn(this, this, ref resize);
        Capacity = size;
        _idsShared = false; // the columns are new arrays: a shared one stays with whoever holds it
        return true;
    }

    /// <summary>Asks again for 2 MB pages under every large column (<see cref="LargePages"/>).</summary>
    public void BackWithLargePages()
    {
        if (!_onLargePages) return;
        var back = new BackWithPages();
        EachColumn(this, this, ref back);
    }

    /// <summary>Copies every column of row <paramref name="from"/> into row <paramref name="to"/> of <paramref name="target"/>.</summary>
    public void CopyRow(int from, NodeTable target, int to)
    {
        var copy = new CopyCell(from, to);
        EachColumn(this, target, ref copy);
    }

    /// <summary>
    /// The one list of the columns: <paramref name="visitor"/> sees each column of <paramref name="table"/> with the
    /// same column of <paramref name="other"/> (the same table when one is enough).
    /// </summary>
    private static void EachColumn<TVisitor>(NodeTable table, NodeTable other, ref TVisitor visitor)
        where TVisitor : struct, IColumnVisitor
    {
        visitor.Column(ref table.Id, ref other.Id);
        visitor.Column(ref table.Type, ref other.Type);
        visitor.Column(ref table.OwnLevel, ref other.OwnLevel);
        visitor.Column(ref table.State, ref other.State);
        visitor.Column(ref table.OwnDays, ref other.OwnDays);
        visitor.Column(ref table.PeriodName, ref other.PeriodName);
        visitor.Column(ref table.Direction, ref other.Direction);
        visitor.Column(ref table.Metric, ref other.Metric);
        visitor.Column(ref table.Unit, ref other.Unit);
        visitor.Column(ref table.Key, ref other.Key);
        visitor.Column(ref table.Aggregates, ref other.Aggregates);
        visitor.Column(ref table.Owner, ref other.Owner);
        visitor.Column(ref table.Title, ref other.Title);
        visitor.Column(ref table.Value, ref other.Value);
        visitor.Column(ref table.Progress, ref other.Progress);
        visitor.Column(ref table.Anchored, ref other.Anchored);
        visitor.Column(ref table.ResolvedDays, ref other.ResolvedDays);
        visitor.Column(ref table.ResolvedLevel, ref other.ResolvedLevel);
        visitor.Column(ref table.Rank, ref other.Rank);
    }

    private interface IColumnVisitor
    {
        void Column<T>(ref T[] column, ref T[] other);
    }

    private readonly struct Allocate(int size, bool onLargePages) : IColumnVisitor
    {
        public void Column<T>(ref T[] column, ref T[] other) => column = onLargePages ? LargePages.Allocate<T>(size) : new T[size];
    }

    private readonly struct Resize(int size, bool onLargePages) : IColumnVisitor
    {
        public void Column<T>(ref T[] column, ref T[] other)
        {
            if (onLargePages) LargePages.Grow(ref column, size);
            else Array.Resize(ref column, size);
        }
    }

    private readonly struct BackWithPages : IColumnVisitor
    {
        public void Column<T>(ref T[] column, ref T[] other) => LargePages.TryBack(column);
    }

    private readonly struct CopyCell(int from, int to) : IColumnVisitor
    {
        public void Column<T>(ref T[] column, ref T[] other) => other[to] = column[from];
    }
}
