namespace AlignmentEngine.Storage.Internal;

/// <summary>One row of the alignments table: a goal's edge to one of its parents.</summary>
internal sealed class AlignmentRow
{
    public string ChildId { get; set; } = string.Empty;
    public long Position { get; set; }
    public string ParentId { get; set; } = string.Empty;
    public double Weight { get; set; }
    public long Contributes { get; set; }

    public static readonly string[] Columns = ["child_id", "position", "parent_id", "weight", "contributes"];

    public object?[] Values() => [ChildId, Position, ParentId, Weight, Contributes];
}
