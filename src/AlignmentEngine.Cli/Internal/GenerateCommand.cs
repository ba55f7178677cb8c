using System.CommandLine;
using AlignmentEngine.Synthetic;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary><c>okr generate --goals N --seed S -o FILE</c>: a synthetic organisation as a goal tree file.</summary>
internal static class GenerateCommand
{
    /// <summary>The smallest organisation: a company level and one department.</summary>
    public const int MinGoals = OrganisationGenerator.MinimumGoals;

    public const int MaxGoals = 2_000_000;

    public static Command Create(CliConsole console)
    {
        var goals = CommonOptions.OptionalWholeNumber("--goals", $"How many goals ({CommonOptions.Range(MinGoals, MaxGoals)}).", MinGoals, MaxGoals);
        goals.Required = true;
        var seed = Seed("The seed: the same seed and size give the same file.");
        var output = CommonOptions.Output("Write the goal tree to this file instead of standard output.");
        var command = new Command("generate", "Write a synthetic organisation (company, departments, teams, people, key results) as a goal tree file.")
        {
            goals, seed, output,
        };
        command.SetAction(result =>
        {
            var tree = OrganisationGenerator.Generate(result.GetRequiredValue(goals)!.Value, result.GetValue(seed));
            return OutputTarget.Write(result.GetValue(output), GoalTreeYamlWriter.ToYaml(tree), console) ? ExitCodes.Ok : ExitCodes.Usage;
        });
        return command;
    }

    /// <summary>The seed of a generated organisation (and of a scenario's choices): any whole number.</summary>
    public static Option<int> Seed(string description) => CommonOptions.WholeNumber("--seed", description, int.MinValue, int.MaxValue, 1);
}
