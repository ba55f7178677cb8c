using System.CommandLine;
using AlignmentEngine.Synthetic;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary><c>okr generate --goals N --seed S -o FILE</c>: a synthetic organisation as a goal tree file.</summary>
internal static class GenerateCommand
{
    public const int MaxGoals = 2_000_000;

    public static Command Create(CliConsole console)
    {
        var goals = new Option<int>("--goals") { Description = $"How many goals (1 to {MaxGoals}).", Required = true };
        goals.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxGoals) result.AddError($"--goals must be between 1 and {MaxGoals}.");
        });
        var seed = new Option<int>("--seed") { Description = "The seed: the same seed and size give the same file.", DefaultValueFactory = _ => 1 };
        var output = CommonOptions.Output("Write the goal tree to this file instead of standard output.");
        var command = new Command("generate", "Write a synthetic organisation (company, departments, teams, people, key results) as a goal tree file.")
        {
            goals, seed, output,
        };
        command.SetAction(result =>
        {
            var tree = OrganisationGenerator.Generate(result.GetValue(goals), result.GetValue(seed));
            return OutputTarget.Write(result.GetValue(output), GoalTreeYamlWriter.ToYaml(tree), console) ? ExitCodes.Ok : ExitCodes.Usage;
        });
        return command;
    }
}
