using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentEngine.Service.Web;

/// <summary>
/// REST/JSON: every AlignmentService RPC with a <c>google.api.http</c> rule in the proto is also an HTTP route
/// (<c>GET /v1/tenants/demo/goals/C1:rollup</c>), transcoded by Microsoft.AspNetCore.Grpc.JsonTranscoding into the same
/// handler and the same <see cref="Pipeline.CallPipeline"/> (API key from the <c>authorization</c> header, scope,
/// limits, telemetry) as a gRPC call. Server-streaming RPCs answer newline-delimited JSON, one message a line. Errors
/// are <c>google.rpc.Status</c> JSON carrying the details a gRPC client gets; those details are <c>Any</c>s, which JSON
/// can spell only for types it knows: the registry names every <c>google.rpc</c> error detail.
/// </summary>
internal static class RestJson
{
    public static IGrpcServerBuilder AddRestJson(this IGrpcServerBuilder grpc) =>
        grpc.AddJsonTranscoding(options => options.TypeRegistry = TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor));
}
