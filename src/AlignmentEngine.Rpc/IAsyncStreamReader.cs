namespace AlignmentEngine.Rpc;

/// <summary>A stream of incoming messages (client-streamed requests on the server, streamed responses on the client).</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false at the end of the stream. Throws <see cref="RpcException"/> on a failed call.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken = default);
}
