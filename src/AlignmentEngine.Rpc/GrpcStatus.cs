namespace AlignmentEngine.Rpc;

/// <summary>
/// The outcome of a call: code, human-readable message and optional rich details
/// (<c>google.rpc.Status</c>, sent as <c>grpc-status-details-bin</c>).
/// </summary>
public sealed record GrpcStatus(StatusCode Code, string Message, Google.Rpc.Status? Details = null)
{
    /// <summary>The status of a successful call.</summary>
    public static GrpcStatus Ok { get; } = new(StatusCode.OK, string.Empty);

    public override string ToString() => $"Status(StatusCode=\"{Code}\", Detail=\"{Message}\")";
}
