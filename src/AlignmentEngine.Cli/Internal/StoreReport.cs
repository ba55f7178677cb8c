using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;
using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Storage;
using Grpc.Core;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr report --store STORE --tenant NAME</c>: the tenant's goals as committed, evaluated like a goal file, and the
/// trend from its history (replayed by the service's <see cref="TenantHistory"/>, as GetProgressHistory answers). The
/// store is only read: it is neither migrated nor, for a SQLite file that is not there, created.
/// </summary>
internal static class StoreReport
{
    /// <summary>How far back the trend looks when <c>--since</c> is not given.</summary>
    public const int DefaultTrendDays = 30;

    private const string SqlitePrefix = "sqlite:";

    /// <summary>The tenant evaluated at <paramref name="asOf"/> (else its as_of, else today) and its trend since <paramref name="since"/> (else <see cref="DefaultTrendDays"/> days before); null once one line is on stderr.</summary>
    public static async Task<(EvaluatedTree Tree, ReportTrend Trend)?> ReadAsync(string location, string tenant, DateOnly? asOf, DateOnly? since, CliConsole console)
    {
        if (location.StartsWith(SqlitePrefix, StringComparison.Ordinal) && !File.Exists(location[SqlitePrefix.Length..]))
        {
            console.Error.WriteLine($"okr report: --store {location}: no such SQLite file");
            return null;
        }

        IAlignmentStore store;
        try
        {
            store = AlignmentStores.Open(location);
        }
        catch (ArgumentException e)
        {
            console.Error.WriteLine($"okr report: --store: {OneLine.Of(e)}");
            return null;
        }

        using (store)
        {
            try
            {
                if (await store.LoadTenantAsync(tenant).ConfigureAwait(false) is not { } stored)
                {
                    var known = (await store.ListTenantsAsync().ConfigureAwait(false)).Select(t => t.Tenant).ToArray();
                    console.Error.WriteLine($"okr report: --tenant {tenant}: no such tenant in {store.Description}" +
                        (known.Length == 0 ? " (it holds none)" : $" (it holds {string.Join(", ", known)})"));
                    return null;
                }

                var document = new GoalTreeDocument(stored.Tree, [.. stored.Tree.Goals.Select(_ => SourcePosition.FileStart)], $"tenant {tenant} ({store.Description})");
                var tree = EvaluatedTree.Evaluate(document, asOf);
                var from = since ?? tree.AsOf.AddDays(-DefaultTrendDays);

                // Before its first change the tenant had no goals: none of today's has a trend.
                var earlier = await new TenantHistory(store).RollupAtAsync(tenant, from).ConfigureAwait(false) ?? new RollupReport(from, true, [], []);
                return (tree, ReportTrend.Of(earlier, $"tenant {tenant}"));
            }
            catch (Exception e) when (e is StoreUnavailableException or StoreSchemaException)
            {
                console.Error.WriteLine($"okr report: --store: {OneLine.Of(e)}");
                return null;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                console.Error.WriteLine($"okr report: --store: {OneLine.Of(e.Status.Detail)}");
                return null;
            }
        }
    }
}
