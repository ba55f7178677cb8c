using AlignmentEngine.Service.Health;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// Whether writes can be committed, as the health service tells it under <see cref="WritesService"/>: NOT_SERVING
/// from the first write the store could not commit until a probe commits again (reads are served throughout, so
/// the server itself and the AlignmentService stay SERVING).
/// </summary>
public sealed class StoreHealth(ServingHealth health)
{
    /// <summary>The health service name of the writes' dependency, the database.</summary>
    public const string WritesService = "okr.alignment.v1.AlignmentService/writes";

    private int _healthy = 1;

    public bool Healthy => Volatile.Read(ref _healthy) == 1;

    internal void Start()
    {
        health.Set("okr.alignment.v1.AlignmentService", ServingStatus.Serving);
        health.Set(WritesService, ServingStatus.Serving);
    }

    internal void Failed()
    {
        if (Interlocked.Exchange(ref _healthy, 0) == 1) health.Set(WritesService, ServingStatus.NotServing);
    }

    internal void Recovered()
    {
        if (Interlocked.Exchange(ref _healthy, 1) == 0) health.Set(WritesService, ServingStatus.Serving);
    }
}
