using AlignmentEngine.Storage.Tests.Support;
using Npgsql;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// A cancelled token stops a store read that is under way, on the server too (PostgreSQL: Npgsql sends the server a
/// cancel request for the running statement). SQLite's calls complete before they return, so there is nothing to stop.
/// </summary>
public sealed class CancellationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task LoadTenant_CancelledWhileWaitingForTheGoals_EndsCancelled_AndTheServerStopsTheStatement()
    {
        var location = new PostgresProvider().NewLocation();
        using var store = AlignmentStores.Open(location);
        await store.MigrateAsync();
        var tree = Goals.Company(50);
        await store.ReplaceAsync(new TreeSnapshot("t", 1, T0, new DateOnly(2026, 3, 1), tree));

        // Another session holds the goals table: the load reads the tenant's head and alignments, then waits for it.
        await using var blocker = new NpgsqlConnection(location["postgres:".Length..]);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockGoals = new NpgsqlCommand("LOCK TABLE goals IN ACCESS EXCLUSIVE MODE", blocker, hold)) await lockGoals.ExecuteNonQueryAsync();

        using var cancel = new CancellationTokenSource();
        var load = store.LoadTenantAsync("t", cancel.Token);
        await Eventually.HoldsAsync(async () => await WaitingForLocksAsync(location) == 1, TimeSpan.FromSeconds(30), "the load waits for the goals table");

        await cancel.CancelAsync();

        // The lock is still held: only the cancellation can end the read now (else it would wait out its command timeout).
        await load.Awaiting(l => l).Should().ThrowAsync<OperationCanceledException>();
        (await WaitingForLocksAsync(location)).Should().Be(0, "the server stopped the statement");
        load.IsCanceled.Should().BeTrue();

        await hold.RollbackAsync();
        (await store.LoadTenantAsync("t"))!.Tree.Goals.Should().HaveCount(tree.Goals.Count, "the store serves the next call as ever");
    }

    /// <summary>
    /// How many sessions of this database wait for a lock to read goals (a SELECT waits for nothing else), seen from a
    /// session of its own: the statistics views keep one snapshot for a whole transaction.
    /// </summary>
    private static async Task<long> WaitingForLocksAsync(string location)
    {
        await using var connection = new NpgsqlConnection(location["postgres:".Length..]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' " +
            "AND query LIKE 'SELECT % FROM goals WHERE tenant = %'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
