using Grpc.Health.V1;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AlignmentEngine.Rpc;

/// <summary>
/// The standard health service (grpc/doc/health-checking.md). The empty service name is the server
/// as a whole and starts SERVING; other names are unknown until <see cref="SetStatus"/> is called.
/// When the host starts stopping, every status becomes NOT_SERVING and open Watch calls end, so that
/// load balancers move away and shutdown does not wait for watchers.
/// </summary>
public sealed class GrpcHealthService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [string.Empty] = ServingStatus.Serving };
    private readonly CancellationToken _stopping;
    private TaskCompletionSource _changed = NewSignal();

    public GrpcHealthService()
    {
    }

    public GrpcHealthService(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        _stopping = lifetime.ApplicationStopping;
        _stopping.Register(SetAllNotServing);
    }

    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        TaskCompletionSource changed;
        lock (_gate)
        {
            _statuses[service] = status;
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    public void ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        TaskCompletionSource changed;
        lock (_gate)
        {
            _statuses.Remove(service);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    public Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            return _statuses.TryGetValue(request.Service, out var status)
                ? Task.FromResult(new HealthCheckResponse { Status = status })
                : throw new RpcException(StatusCode.NotFound, $"Unknown service '{request.Service}'.");
        }
    }

    /// <summary>Sends the current status, then every change, until the client goes away.</summary>
    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(context);
        ServingStatus? last = null;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var stopping = _stopping.IsCancellationRequested;
            ServingStatus current;
            Task changed;
            lock (_gate)
            {
                current = _statuses.TryGetValue(request.Service, out var s) ? s : ServingStatus.ServiceUnknown;
                changed = _changed.Task;
            }

            if (current != last)
            {
                await responses.WriteAsync(new HealthCheckResponse { Status = current }, context.CancellationToken).ConfigureAwait(false);
                last = current;
            }

            if (stopping)
            {
                // The last word was NOT_SERVING; end the call (OK) so shutdown can proceed.
                return;
            }

            await changed.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        }
    }

    private void SetAllNotServing()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            foreach (var key in _statuses.Keys.ToArray())
            {
                _statuses[key] = ServingStatus.NotServing;
            }

            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    internal static void Bind(GrpcServiceBuilder<GrpcHealthService> builder) => builder
        .Unary<HealthCheckRequest, HealthCheckResponse>("Check", static (s, r, c) => s.Check(r, c))
        .ServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", static (s, r, w, c) => s.Watch(r, w, c));

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
