using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AlignmentEngine.Service.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c> (Grpc.HealthCheck's implementation) with what a load balancer needs at shutdown: when
/// the host starts stopping, every status becomes NOT_SERVING, and each open Watch sends it and then ends (OK), so
/// that clients move away and shutdown does not wait for watchers. The server as a whole (<c>""</c>) starts SERVING.
/// </summary>
public sealed class ServingHealth : HealthServiceImpl
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _known = [string.Empty];
    private readonly CancellationTokenSource _ended = new();

    public ServingHealth(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        SetStatus(string.Empty, ServingStatus.Serving);
        lifetime.ApplicationStopping.Register(Stop);
    }

    /// <summary>Sets a service's status, unless the server is stopping (then everything stays NOT_SERVING).</summary>
    public void Set(string service, ServingStatus status)
    {
        lock (_gate)
        {
            if (_ended.IsCancellationRequested) return;
            _known.Add(service);
            SetStatus(service, status);
        }
    }

    public override Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WatchUntilStopped(request, responseStream, context);
    }

    private async Task WatchUntilStopped(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        // The base's Watch runs until its call's token is cancelled, then sends what is still queued (NOT_SERVING
        // when stopping): it is handed the call with a token that is also cancelled once the server stops.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _ended.Token);
        await base.Watch(request, responseStream, new EndingCallContext(context, linked.Token)).ConfigureAwait(false);
    }

    private void Stop()
    {
        lock (_gate)
        {
            foreach (var service in _known) SetStatus(service, ServingStatus.NotServing);
            _ended.Cancel();
        }
    }

    /// <summary>A call as its handler sees it, with a cancellation token of our choosing.</summary>
    private sealed class EndingCallContext(ServerCallContext call, CancellationToken cancellationToken) : ServerCallContext
    {
        protected override string MethodCore => call.Method;

        protected override string HostCore => call.Host;

        protected override string PeerCore => call.Peer;

        protected override DateTime DeadlineCore => call.Deadline;

        protected override Metadata RequestHeadersCore => call.RequestHeaders;

        protected override CancellationToken CancellationTokenCore => cancellationToken;

        protected override Metadata ResponseTrailersCore => call.ResponseTrailers;

        protected override Status StatusCore
        {
            get => call.Status;
            set => call.Status = value;
        }

        protected override WriteOptions? WriteOptionsCore
        {
            get => call.WriteOptions;
            set => call.WriteOptions = value;
        }

        protected override AuthContext AuthContextCore => call.AuthContext;

        protected override IDictionary<object, object> UserStateCore => call.UserState;

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => call.CreatePropagationToken(options);

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => call.WriteResponseHeadersAsync(responseHeaders);
    }
}
