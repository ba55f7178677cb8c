using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Contract = AlignmentEngine.Api.V1.AlignmentService;

namespace AlignmentEngine.Service.Pipeline;

/// <summary>
/// Binds the AlignmentService's methods as the generated code does, each with a request marshaller that refuses a
/// string field that is not valid UTF-8: INVALID_ARGUMENT naming the field (<see cref="Utf8Fields"/>), before the
/// message is parsed, so before the pipeline (and its API key check) runs, like every refusal of an unreadable request.
/// grpc-dotnet finds this binding through the <see cref="BindServiceMethodAttribute"/> on <see cref="AlignmentService"/>.
/// The response marshaller writes a response the tenant's grain already encoded as it is (<see cref="PreEncodedResponses"/>).
/// </summary>
internal static class StrictUtf8Binding
{
    /// <summary>
    /// The service's descriptor. JSON transcoding and the OpenAPI document find the HTTP rules through the binding type
    /// named by <see cref="BindServiceMethodAttribute"/>, as they do through the generated class, by this property.
    /// </summary>
    public static ServiceDescriptor Descriptor => Contract.Descriptor;

    /// <summary>
    /// Called by grpc-dotnet with <paramref name="service"/> null. The parameter's type is the generated base class: the
    /// methods bound are those that override it.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, Contract.AlignmentServiceBase service) =>
        Contract.BindService(new StrictBinder(binder), service);

    private static Marshaller<T> Strict<T>(Marshaller<T> marshaller)
    {
        var descriptor = (MessageDescriptor)typeof(T).GetProperty(nameof(IMessage.Descriptor), System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)!.GetValue(null)!;
        return Marshallers.Create(marshaller.ContextualSerializer, context =>
        {
            if (Utf8Fields.FirstInvalid(context.PayloadAsReadOnlySequence(), descriptor) is { } field)
            {
                throw ServiceErrors.InvalidArgument(field, "is not valid UTF-8");
            }

            return marshaller.ContextualDeserializer(context);
        });
    }

    private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class =>
        new(method.Type, method.ServiceName, method.Name, Strict(method.RequestMarshaller), PreEncodedResponses.Writing(method.ResponseMarshaller));

    private sealed class StrictBinder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);
    }
}
