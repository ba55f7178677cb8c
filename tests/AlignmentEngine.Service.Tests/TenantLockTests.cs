using AlignmentEngine.Service.Tenants;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The tenant's graph lock: readers share it, a writer has it alone across an await (released on whatever thread its
/// continuation runs), writers go first and in order.
/// </summary>
public sealed class TenantLockTests
{
    [Test]
    public async Task Readers_ShareIt_AndAWriterWaitsUntilTheLastHasLeft()
    {
        var gate = new TenantLock();
        var first = gate.EnterRead();
        var second = await gate.EnterReadAsync();

        var writer = gate.EnterWriteAsync().AsTask();
        first.Dispose();
        writer.IsCompleted.Should().BeFalse("a reader is still in");

        second.Dispose();
        (await writer).Dispose();
    }

    [Test]
    public async Task AWriter_HoldsItAcrossAnAwait_ReadersWaitAndEnterOnceItLeavesFromAnotherThread()
    {
        var gate = new TenantLock();
        var hold = await gate.EnterWriteAsync();
        var asyncReader = gate.EnterReadAsync().AsTask();
        var blockingReader = Task.Run(() => gate.EnterRead());
        await Task.Yield();
        asyncReader.IsCompleted.Should().BeFalse();
        blockingReader.IsCompleted.Should().BeFalse();

        await Task.Run(hold.Dispose);

        (await asyncReader).Dispose();
        (await blockingReader).Dispose();
        (await gate.EnterWriteAsync()).Dispose();
    }

    [Test]
    public async Task WaitingWriters_GoBeforeLaterReaders_InTheirOrder()
    {
        var gate = new TenantLock();
        var reader = gate.EnterRead();
        var order = new List<string>();
        var firstWriter = Enter(gate.EnterWriteAsync(), "writer 1", order);
        var laterReader = Enter(gate.EnterReadAsync(), "reader", order);
        var secondWriter = Enter(gate.EnterWriteAsync(), "writer 2", order);

        reader.Dispose();
        await Task.WhenAll(firstWriter, laterReader, secondWriter);

        order.Should().Equal("writer 1", "writer 2", "reader");
    }

    /// <summary>Enters, notes who did, and leaves after a yield (so that the others must wait for it).</summary>
    private static async Task Enter(ValueTask<TenantLock.Hold> entering, string who, List<string> order)
    {
        using var hold = await entering;
        lock (order) order.Add(who);
        await Task.Yield();
    }
}
