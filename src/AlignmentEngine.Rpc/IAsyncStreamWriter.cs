namespace AlignmentEngine.Rpc;

/// <summary>
/// A stream of outgoing messages. Each write completes when the transport has taken the message, so
/// a slow reader slows the writer down (flow control) instead of making memory grow.
/// One write at a time.
/// </summary>
public interface IAsyncStreamWriter<in T>
{
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}

/// <summary>The response stream of a server-streaming or bidirectional call, on the server.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}

/// <summary>The request stream of a client-streaming or bidirectional call, on the client.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Half-closes the request stream: the server sees the end of the requests.</summary>
    Task CompleteAsync();
}
