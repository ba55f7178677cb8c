using Google.Rpc;

namespace AlignmentEngine.Service.Mapping;

/// <summary>
/// Collects what is wrong with a request, each problem with the path of the field (e.g.
/// <c>changes[3].upsert_goal.metric.direction</c>) and, where there is one, the goal it concerns, so that
/// INVALID_ARGUMENT can say all of it at once.
/// </summary>
internal sealed class FieldViolations
{
    private readonly List<BadRequest.Types.FieldViolation> _violations = [];

    public bool Any => _violations.Count > 0;

    public IReadOnlyList<BadRequest.Types.FieldViolation> All => _violations;

    public void Add(string field, string description) =>
        _violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });

    /// <summary>Throws INVALID_ARGUMENT with every violation when there is any.</summary>
    public void ThrowIfAny()
    {
        if (Any) throw ServiceErrors.InvalidArgument(this);
    }
}
