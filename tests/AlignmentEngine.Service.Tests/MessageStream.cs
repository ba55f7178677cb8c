using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// A client stream's messages as a handler reads them, for a handler called on a silo that has no gRPC front (the
/// in-process test cluster): the messages given, in order, then the end of the stream.
/// </summary>
internal sealed class MessageStream<T>(IReadOnlyList<T> messages) : IAsyncStreamReader<T>
{
    private int _next = -1;

    public T Current => messages[_next];

    public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromResult(++_next < messages.Count);
}
