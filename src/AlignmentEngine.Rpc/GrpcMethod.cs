using Google.Protobuf;
using AlignmentEngine.Rpc.Internal;
using Google.Protobuf.Reflection;

namespace AlignmentEngine.Rpc;

/// <summary>A method as the client calls it: path, call shape and response parser.</summary>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>, new()
{
    /// <summary>From the generated descriptor, checked against the message types.</summary>
    public GrpcMethod(MethodDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException($"{descriptor.FullName} takes {descriptor.InputType.FullName} and returns {descriptor.OutputType.FullName}.", nameof(descriptor));
        }

        FullName = "/" + descriptor.Service.FullName + "/" + descriptor.Name;
        Type = MethodShape.Of(descriptor);
    }

    /// <summary>By name, for methods without a descriptor at hand (e.g. calling something the server may not have).</summary>
    public GrpcMethod(string serviceFullName, string methodName, MethodType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceFullName);
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        FullName = "/" + serviceFullName + "/" + methodName;
        Type = type;
    }

    /// <summary>The HTTP/2 path, <c>/package.Service/Method</c>.</summary>
    public string FullName { get; }

    public MethodType Type { get; }

    internal MessageParser<TResponse> ResponseParser { get; } = new(static () => new TResponse());

    public override string ToString() => FullName;
}
