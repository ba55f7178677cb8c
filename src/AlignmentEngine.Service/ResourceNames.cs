using System.Text.RegularExpressions;
using AlignmentEngine.Service.Mapping;

namespace AlignmentEngine.Service;

/// <summary>
/// Resource names: <c>tenants/{tenant}</c> and <c>tenants/{tenant}/goals/{goal_id}</c>. Tenant ids are 1–63
/// lower-case letters, digits and hyphens (safe in URLs, keys and table values); goal ids follow the spec and
/// may contain slashes, so everything after <c>/goals/</c> is the goal id.
/// </summary>
internal static partial class ResourceNames
{
    private const string Prefix = "tenants/";
    private const string GoalsSegment = "/goals/";

    public static string Tenant(string tenant) => Prefix + tenant;

    public static string Goal(string tenant, string goalId) => Prefix + tenant + GoalsSegment + goalId;

    /// <summary>Whether <paramref name="tenant"/> is a valid tenant id.</summary>
    public static bool IsTenantId(string tenant) => TenantId().IsMatch(tenant);

    /// <summary>The tenant of <c>tenants/{tenant}</c>, or INVALID_ARGUMENT naming <paramref name="field"/>.</summary>
    public static string ParseTenant(string name, string field = "parent")
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !TenantId().IsMatch(name.AsSpan(Prefix.Length)))
        {
            throw ServiceErrors.InvalidArgument(field, $"'{ServiceErrors.Echo(name)}' is not a tenant name of the form tenants/{{tenant}} (tenant: 1-63 of a-z, 0-9, -)");
        }

        return name[Prefix.Length..];
    }

    /// <summary>The tenant and goal id of <c>tenants/{tenant}/goals/{goal_id}</c>, or INVALID_ARGUMENT.</summary>
    public static (string Tenant, string GoalId) ParseGoal(string name, string field = "name")
    {
        var at = name.IndexOf(GoalsSegment, StringComparison.Ordinal);
        if (at < 0 || !name.StartsWith(Prefix, StringComparison.Ordinal) || !TenantId().IsMatch(name.AsSpan(Prefix.Length, at - Prefix.Length)))
        {
            throw ServiceErrors.InvalidArgument(field, $"'{ServiceErrors.Echo(name)}' is not a goal name of the form tenants/{{tenant}}/goals/{{goal_id}}");
        }

        var goalId = name[(at + GoalsSegment.Length)..];
        var violations = new FieldViolations();
        ToCore.GoalId(goalId, field, violations);
        violations.ThrowIfAny();
        return (name[Prefix.Length..at], goalId);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex TenantId();
}
