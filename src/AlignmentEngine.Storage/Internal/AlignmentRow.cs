namespace AlignmentEngine.Storage.Internal;

/// <summary>One row of the alignments table: a goal's edge to one of its parents.</summary>
internal sealed class AlignmentRow
{
    public string Tenant { get; set; } = string.Empty;
    public string ChildId { get; set; } = string.Empty;
    public long Position { get; set; }
    public string ParentId { get; set; } = string.Empty;
    public double Weight { get; set; }
    public long Contributes { get; set; }

    /// <summary>The table's columns after tenant, in insert order.</summary>
    public static readonly string[] Columns = ["child_id", "position", "parent_id", "weight", "contributes"];

    /// <summary>The row's values in <see cref="Columns"/> order.</summary>
    public object?[] Values() => [ChildId, Position, ParentId, Weight, Contributes];
}
