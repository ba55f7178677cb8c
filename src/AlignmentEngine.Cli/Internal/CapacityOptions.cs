using System.CommandLine;
using AlignmentEngine.Service;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr serve</c>'s memory options, per silo: the budget of goals its activated tenants may hold together (the least
/// recently called are deactivated above it), and how many tenants it loads from the store at once.
/// </summary>
internal sealed class CapacityOptions
{
    /// <summary>More loads at once than this only share the same cores and database among more graphs being built.</summary>
    public const int MostConcurrentLoads = 64;

    private static readonly AlignmentServiceOptions Defaults = new();

    private readonly Option<int?> _maxResidentGoals = CommonOptions.OptionalWholeNumber("--max-resident-goals",
        "Goals this silo's activated tenants may hold together; above it the least recently called tenants are deactivated (they reload on their next call). Default: no budget.",
        1, int.MaxValue);

    private readonly Option<int> _maxConcurrentLoads = CommonOptions.WholeNumber("--max-concurrent-loads",
        $"Tenants this silo loads from the store at once; other activations wait for a slot. Default {Defaults.MaxConcurrentLoads}.",
        1, MostConcurrentLoads, Defaults.MaxConcurrentLoads);

    public IEnumerable<Option> All => [_maxResidentGoals, _maxConcurrentLoads];

    /// <summary>Sets the options given on the command line.</summary>
    public Action<AlignmentServiceOptions> Read(ParseResult result)
    {
        var (budget, loads) = (result.GetValue(_maxResidentGoals), result.GetValue(_maxConcurrentLoads));
        return options =>
        {
            options.MaxResidentGoals = budget;
            options.MaxConcurrentLoads = loads;
        };
    }
}
