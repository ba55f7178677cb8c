using AlignmentEngine.Api.V1;

namespace AlignmentEngine.Soak;

/// <summary>One reader: roll-ups, goal pages, single goals and alignment analysis, chosen at random, until told to stop.</summary>
internal sealed class Reader(AlignmentService.AlignmentServiceClient client, Tally tally, SoakTree tree, int seed)
{
    private readonly Random _random = new(seed);
    private readonly string[] _keyResults = [.. tree.KeyResultsAtStart().Select(k => k.Id)];

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var roll = _random.NextDouble();
            var goal = _random.Next(4) == 0 ? "C" : SoakTree.Department(_random.Next(tree.Departments));
            _ = roll switch
            {
                < 0.4 => await tally.Time("read: GetRollup", () => client.GetRollupAsync(new GetRollupRequest { Name = SoakTree.Name(goal) }).ResponseAsync).ConfigureAwait(false) as object,
                < 0.7 => await tally.Time("read: GetGoal", () => client.GetGoalAsync(new GetGoalRequest { Name = SoakTree.Name(_keyResults[_random.Next(_keyResults.Length)]) }).ResponseAsync).ConfigureAwait(false),
                < 0.9 => await tally.Time("read: ListGoals", () => client.ListGoalsAsync(new ListGoalsRequest { Parent = SoakTree.Parent, PageSize = 50 }).ResponseAsync).ConfigureAwait(false),
                _ => await tally.Time("read: AnalyzeAlignment", () => client.AnalyzeAlignmentAsync(new AnalyzeAlignmentRequest { Parent = SoakTree.Parent }).ResponseAsync).ConfigureAwait(false),
            };
        }
    }
}
