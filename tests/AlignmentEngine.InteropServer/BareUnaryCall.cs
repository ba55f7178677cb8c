using System.Buffers;
using System.Buffers.Binary;
using AlignmentEngine.Testing.V1;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace AlignmentEngine.InteropServer;

/// <summary>
/// The transport benchmark's baseline (<c>--baseline</c>): <c>InteropService/UnaryCall</c> answered on bare Kestrel, with
/// no gRPC framework but all the work any gRPC server must do for the call, so that the benchmark compares transports
/// and not applications: it checks the path and the content type, reads the request's one length-prefixed message,
/// parses it, builds the response it asks for, and writes the response as grpc-dotnet does for a unary call (the same
/// headers, the message, the <c>grpc-status</c> trailer; the response started and its message left to be sent with
/// the trailers when the call ends, no flush of its own).
/// </summary>
internal static class BareUnaryCall
{
    private const string Path = "/okr.testing.v1.InteropService/UnaryCall";
    private const int PrefixSize = 5;

    public static async Task AnswerAsync(HttpContext context)
    {
        if (context.Request.Path != Path || context.Request.ContentType != "application/grpc")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var reader = context.Request.BodyReader;
        var read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
        while (!read.IsCompleted)
        {
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var request = Parse(read.Buffer);
        reader.AdvanceTo(read.Buffer.End);
        if (request is null)
        {
            context.Response.ContentType = "application/grpc";
            context.Response.AppendTrailer("grpc-status", "13");
            return;
        }

        var response = new UnaryCallResponse { Payload = InteropService.NewPayload(request.ResponseSize) };
        context.Response.ContentType = "application/grpc";
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        var size = response.CalculateSize();
        var writer = context.Response.BodyWriter;
        var frame = writer.GetSpan(PrefixSize + size);
        frame[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(frame[1..], (uint)size);
        response.WriteTo(frame.Slice(PrefixSize, size));
        writer.Advance(PrefixSize + size);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    /// <summary>The request's one message (uncompressed, exactly as long as its prefix says), or null.</summary>
    private static UnaryCallRequest? Parse(ReadOnlySequence<byte> body)
    {
        if (body.Length < PrefixSize)
        {
            return null;
        }

        Span<byte> prefix = stackalloc byte[PrefixSize];
        body.Slice(0, PrefixSize).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        return prefix[0] == 0 && length == body.Length - PrefixSize ? UnaryCallRequest.Parser.ParseFrom(body.Slice(PrefixSize)) : null;
    }
}
