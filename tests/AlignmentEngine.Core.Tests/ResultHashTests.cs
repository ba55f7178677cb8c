using System.Security.Cryptography;
using System.Text;
using AlignmentEngine.Synthetic;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// The results of the benchmarked operations, bit for bit: a check-in, a 10,000-check-in batch, the archives of a
/// company and a team objective (every finding written), and the whole roll-up between them, on the generated
/// organisations of the benchmarks. A change meant to make the engine faster must leave every progress bit, health and
/// finding text as it was. The hashes were taken on main before the speed work of issue 14 (adfafae) and taken again
/// when the engine's order of additions became BlockedSummation's (a parent of more than 16 children sums them in
/// groups of 16), which moves last bits wherever such a parent is re-averaged.
/// </summary>
public sealed class ResultHashTests
{
    private static readonly DateOnly AsOf = OrganisationGenerator.AsOf;

    [TestCase(10_000, "157BB2DBA832B7D7 B69E1F6E497725C2 FAADD9A737BF4B50 5E58DB6A8C51F852 D1407BCF1F72A8FF CB6A8EC5F7B06E5A 2306654264883776 74FF52E2D766371F CB6A8EC5F7B06E5A 37548CC48D2341ED B98A0E8892F3540B 583AD84EB184D9C8")]
    [TestCase(100_000, "F7A114AE75DBCF4A 50359C0B4D74103D 2955DC0D1CC6A130 225109473686F86E 982588960BD64341 70198AF31343AE0D C118C6546D75434A 8FFE2042222071F2 70198AF31343AE0D EF0187E17831C5A0 2BD6D4B2A39207DB 1B445D29AF7B5772")]
    [TestCase(1_000_000, "1D42BF288D3D1647 04BC13DF45EC88E8 8564D306E06FE022 676DA7CE08EC95A8 8FCFF5BFCDD632BD 894EA3D53DDE863F CD262B7CADB0ABB1 408CAED97CF4BA43 894EA3D53DDE863F 212385C04725C800 D9C1DBB2C9225889 AC85E408EA7326FF", Explicit = true, Reason = "About a minute: run after a change to the core's hot paths")]
    public void BenchmarkedOperations_OnTheGeneratedOrganisation_GiveTheRecordedResultsBitForBit(int goals, string expected)
    {
        var tree = OrganisationGenerator.Generate(goals, 2026);
        var graph = AlignmentGraph.Build(tree).Graph!;
        var targets = tree.Goals.Where(g =>
            g is { Type: GoalType.KeyResult, Metric: { Direction: MetricDirection.Increase, Aggregates: false } }
            && g.State.IsCounted() && g.Id.Contains(".P", StringComparison.Ordinal) && graph.View.RankOf(g.Id) >= 6).ToList();
        var best = targets.Take(500).MaxBy(c => graph.Simulate([At(c, 0.3)], AsOf).Goals.Count)!;
        var stride = Math.Max(1, targets.Count / 10_000);
        var chosen = Enumerable.Range(0, 10_000).Select(k => targets[k * stride % targets.Count]).Distinct().ToList();
        GoalChange[] archive = [new SetState("C2", GoalState.Archived)];
        GoalChange[] team = [new SetState("D1.T1", GoalState.Archived)];

        string[] hashes =
        [
            Hash(graph.Rollup(AsOf)),
            Hash("checkin1", graph.Apply([At(best, 0.3)], AsOf)),
            Hash("checkin2", graph.Apply([At(best, 0.6)], AsOf)),
            Hash("batch1", graph.Apply([.. chosen.Select(g => At(g, 0.3))], AsOf)),
            Hash("batch2", graph.Apply([.. chosen.Select(g => At(g, 0.6))], AsOf)),
            Hash(graph.Rollup(AsOf)),
            Hash("archiveC2", graph.Simulate(archive, AsOf)),
            Hash("archiveT", graph.Simulate(team, AsOf)),
            Hash(graph.Rollup(AsOf)),
            Hash("applyC2", graph.Apply(archive, AsOf)),
            Hash("checkin3", graph.Apply([At(best, 0.3)], AsOf)),
            Hash(graph.Rollup(AsOf)),
        ];

        string.Join(' ', hashes).Should().Be(expected);
    }

    private static CheckIn At(GoalDefinition goal, double fraction)
    {
        var m = goal.Metric!;
        return new CheckIn(goal.Id, Math.Round(m.Start + (fraction * (m.Target!.Value - m.Start)), 2));
    }

    private static string Hash(string name, ChangeResult r)
    {
        var lines = new List<string> { $"{name} {r.Accepted} {r.Goals.Count} {r.FindingsAppeared.Count} {r.FindingsDisappeared.Count}" };
        foreach (var d in r.Goals) lines.Add($"{d.Id} {Snapshot(d.Before)} {Snapshot(d.After)}");
        foreach (var f in r.FindingsAppeared) lines.Add($"+{f.Code} {f.Goal} {string.Join(",", f.Related)} {f.Message}");
        foreach (var f in r.FindingsDisappeared) lines.Add($"-{f.Code} {f.Goal} {string.Join(",", f.Related)} {f.Message}");
        return Hash(lines);
    }

    private static string Hash(RollupReport report)
    {
        var lines = report.Goals.Select(g => $"{g.Id} {Bits(g.Progress)} {Bits(g.Attainment)} {g.Health} {g.Counted} {g.Level} {g.Period}").ToList();
        lines.AddRange(report.Findings.Select(f => $"{f.Code} {f.Goal} {f.Message}"));
        return Hash(lines);
    }

    private static string Snapshot(GoalSnapshot? s) => s is { } v ? $"{Bits(v.Progress)} {v.Health}" : "-";

    private static string Bits(double value) => BitConverter.DoubleToInt64Bits(value).ToString("X", System.Globalization.CultureInfo.InvariantCulture);

    private static string Hash(IEnumerable<string> lines)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines) hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }
}
