using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests.Support;

/// <summary>The goal files under <c>examples/</c>, and goal files made to break writers that forget to escape.</summary>
internal static class Examples
{
    public static string SmallCompany => Path.Combine(RepoPaths.Root, "examples", "small-company.yaml");

    public static string Before => Path.Combine(RepoPaths.Root, "examples", "priority-shift", "before.yaml");

    public static string After => Path.Combine(RepoPaths.Root, "examples", "priority-shift", "after.yaml");

    public const string HostileTitle = "<script>alert(\"x\")</script> & #quot; `tick` | pipe \\N back";

    /// <summary>Ids and titles with every character a picture or page could mistake for syntax.</summary>
    public static string Hostile => $$"""
        as_of: 2026-11-15
        period: { start: 2026-10-01, end: 2026-12-31 }
        goals:
          - { id: 'end', type: objective, level: company, title: '{{HostileTitle.Replace("'", "''", StringComparison.Ordinal)}}' }
          - { id: 'a "quoted" id', type: key_result, parents: [{ id: 'end', weight: 2 }], metric: { direction: increase, target: 10, current: 4 } }
          - { id: 'x<y>&z#1;', type: key_result, parents: [{ id: 'end', contributes: false }], metric: { direction: milestone, done: true } }
        """;

    /// <summary>The 1-based line of the goal whose definition starts with <c>id: ID</c> (after <c>- </c> or <c>- { </c>).</summary>
    public static int LineOf(string file, string id, int occurrence = 1)
    {
        var lines = File.ReadAllLines(file);
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i].TrimStart();
            if ((text == $"- id: {id}" || text.StartsWith($"- {{ id: {id},", StringComparison.Ordinal)) && ++seen == occurrence) return i + 1;
        }

        throw new InvalidOperationException($"no goal {id} in {file}");
    }
}
