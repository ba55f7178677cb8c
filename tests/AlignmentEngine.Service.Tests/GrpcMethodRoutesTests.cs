using AlignmentEngine.Service.Pipeline;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Which paths <see cref="GrpcMethodRoutes"/> routes without the matcher: only a gRPC method's own literal path, and
/// only where the matcher could choose nothing else; on the real server, every gRPC method and no REST route.
/// </summary>
public sealed class GrpcMethodRoutesTests : ServerFixture
{
    private static readonly Method<string, string> Method = new(MethodType.Unary, "a.B", "C", Marshallers.StringMarshaller, Marshallers.StringMarshaller);

    private static RouteEndpoint Grpc(string pattern, int order = 0, string httpMethod = "POST", params object[] metadata) =>
        new(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), order,
            new EndpointMetadataCollection([new GrpcMethodMetadata(typeof(object), Method), new HttpMethodMetadata([httpMethod]), .. metadata]), pattern);

    private static RouteEndpoint Other(string pattern, int order = 0) =>
        new(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), order, new EndpointMetadataCollection(new HttpMethodMetadata(["POST"])), pattern);

    [Test]
    public void GrpcMethodPath_FoundIgnoringCaseAsTheMatcherCompares()
    {
        var endpoint = Grpc("/a.B/C");
        var routes = GrpcMethodRoutes.Build([endpoint, Other("/v1/{name}")]);

        routes.Should().ContainSingle();
        routes["/a.B/C"].Should().BeSameAs(endpoint);
        routes["/A.b/c"].Should().BeSameAs(endpoint);
    }

    [Test]
    public void WhereTheMatcherCouldChooseAnotherEndpoint_LeftToIt()
    {
        GrpcMethodRoutes.Build([Grpc("/a.B/C"), Other("/a.b/c")]).Should().BeEmpty("two endpoints share the path");
        GrpcMethodRoutes.Build([Grpc("/a.B/C", order: 1), Other("/{**any}")]).Should().BeEmpty("another endpoint is ordered first");
        GrpcMethodRoutes.Build([Grpc("/a.B/C", httpMethod: "GET")]).Should().BeEmpty("not a POST endpoint");
        GrpcMethodRoutes.Build([Grpc("/a.B/{method}")]).Should().BeEmpty("not a literal path");
        GrpcMethodRoutes.Build([Grpc("/a.B/C", metadata: new RequestSizeLimitAttribute(10))]).Should().BeEmpty("routing applies the size limit when it matches");
        GrpcMethodRoutes.Build([Other("/a.B/C")]).Should().BeEmpty("not a gRPC method");
    }

    [Test]
    public void RealServer_EveryMethodEndpointWithALiteralPath()
    {
        var endpoints = Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var routes = GrpcMethodRoutes.Build(endpoints);

        routes.Keys.Should().Contain(
            [
                "/okr.alignment.v1.AlignmentService/GetRollup",
                "/okr.alignment.v1.AlignmentService/ImportTree",
                "/okr.alignment.v1.AlignmentService/WatchRollups",
                "/grpc.health.v1.Health/Check",
                "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            ]);

        // REST/JSON rules are gRPC method endpoints too: the one with a literal path is found the same way; those with
        // parameters, the OpenAPI document and grpc-dotnet's catch-all for unknown methods stay the matcher's.
        routes.Values.Should().BeEquivalentTo(endpoints.Where(e => e.Metadata.GetMetadata<GrpcMethodMetadata>() != null && e.RoutePattern.Parameters.Count == 0));
        routes.Keys.Should().Contain("/v1/trees:validate").And.NotContain(path => path.Contains('{', StringComparison.Ordinal) || path.StartsWith("/openapi", StringComparison.Ordinal));
    }
}
