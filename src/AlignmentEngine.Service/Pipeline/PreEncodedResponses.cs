using System.Buffers;
using AlignmentEngine.Api.V1;
using Google.Protobuf;
using Grpc.Core;

namespace AlignmentEngine.Service.Pipeline;

/// <summary>
/// Responses that reach the front already encoded: a tenant's grain answers with the response's protobuf bytes, and the
/// front hands them on as an <see cref="IPreEncodedResponse"/> (<see cref="Tenants.TenantGrains"/>) rather than decoding
/// them into a message that grpc-dotnet would encode again. Two places see to it: the methods' response marshaller writes
/// the bytes as they are (gRPC, and gRPC-Web, whose middleware only reframes what the marshaller wrote), and
/// <see cref="Readable{T}"/> decodes them for a call whose response is not written by the marshaller (JSON transcoding
/// writes the message's fields as JSON).
/// </summary>
internal static class PreEncodedResponses
{
    /// <summary><paramref name="marshaller"/>, writing a pre-encoded response's bytes as they are.</summary>
    public static Marshaller<T> Writing<T>(Marshaller<T> marshaller)
        where T : class =>
        Marshallers.Create<T>(
            (message, context) =>
            {
                if (message is IPreEncodedResponse { Encoded: { } encoded })
                {
                    context.SetPayloadLength(encoded.Length);
                    context.GetBufferWriter().Write(encoded);
                    context.Complete();
                }
                else
                {
                    marshaller.ContextualSerializer(message, context);
                }
            },
            marshaller.ContextualDeserializer);

    /// <summary>
    /// The response as the call will read it: its bytes decoded into its fields, unless the call is gRPC's binary
    /// protocol (<c>application/grpc</c>, <c>application/grpc-web</c>, <c>application/grpc-web-text</c>), whose marshaller
    /// writes the bytes.
    /// </summary>
    public static T Readable<T>(T response, ServerCallContext context) =>
        response is IPreEncodedResponse && !WrittenByMarshaller(context) ? Decoded(response) : response;

    /// <summary>The response with its fields set: a pre-encoded one is decoded (in place), any other is as it was.</summary>
    public static T Decoded<T>(T response)
    {
        if (response is IPreEncodedResponse { Encoded: { } encoded } preEncoded)
        {
            preEncoded.Encoded = null;
            ((IMessage)response).MergeFrom(encoded);
        }

        return response;
    }

    private static bool WrittenByMarshaller(ServerCallContext context) =>
        context.GetHttpContext().Request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
