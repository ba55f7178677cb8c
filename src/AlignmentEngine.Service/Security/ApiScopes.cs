namespace AlignmentEngine.Service.Security;

/// <summary>What an API key may do: <c>read</c> (queries, simulations, watching), <c>write</c> (changes, check-ins, imports), <c>admin</c> (everything).</summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Read, Write, Admin];

    /// <summary>Whether a key with <paramref name="granted"/> may do what needs <paramref name="required"/>.</summary>
    public static bool Allows(IReadOnlyList<string> granted, string required) => granted.Contains(Admin) || granted.Contains(required);
}
