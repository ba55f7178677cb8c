using System.CommandLine;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Cli.Internal;

/// <summary>The <c>--store</c> option of <c>okr serve</c> and <c>okr keys</c>: given, else <c>OKR_STORE</c>, else the default SQLite file.</summary>
internal static class StoreOption
{
    /// <summary>The environment variable naming the store when --store is not given (handy for a password).</summary>
    public const string Variable = "OKR_STORE";

    public static Option<string> Create() => new("--store")
    {
        Description = $"Where tenants are kept: sqlite:PATH, postgres:CONNECTION-STRING or sqlserver:CONNECTION-STRING (default ${Variable}, else {AlignmentStores.DefaultLocation}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : AlignmentStores.DefaultLocation,
    };
}
