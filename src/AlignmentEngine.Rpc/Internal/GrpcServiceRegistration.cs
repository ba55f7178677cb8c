using Google.Protobuf.Reflection;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>A service added with AddGrpcService: its descriptor (for routing and reflection) and how to build its routes.</summary>
internal sealed class GrpcServiceRegistration(ServiceDescriptor descriptor, Func<IServiceProvider, IEnumerable<ServerMethod>> createMethods)
{
    public ServiceDescriptor Descriptor { get; } = descriptor;

    public Func<IServiceProvider, IEnumerable<ServerMethod>> CreateMethods { get; } = createMethods;
}
