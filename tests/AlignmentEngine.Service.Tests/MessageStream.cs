using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// A client stream's messages as a handler reads them, for a handler called on a silo that has no gRPC front (the
/// in-process test cluster): the messages given, in order, then the end of the stream. <paramref name="before"/>, when
/// given, runs before the handler receives the message of each index, as a client that pauses between messages: what
/// happens in the cluster meanwhile (a tenant deactivated halfway through an import) happens between two messages.
/// </summary>
internal sealed class MessageStream<T>(IReadOnlyList<T> messages, Func<int, Task>? before = null) : IAsyncStreamReader<T>
{
    private int _next = -1;

    public T Current => messages[_next];

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (++_next >= messages.Count) return false;
        if (before is not null) await before(_next);
        return true;
    }
}
