using System.Text.Json.Nodes;
using AlignmentEngine.Service.Web;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The OpenAPI document: generated from the protos (their HTTP rules and comments), served at its documented path, and
/// the same as the committed docs/openapi.json, which <c>scripts/openapi</c> rewrites after a proto changes.
/// </summary>
public sealed class OpenApiDocumentTests : ServerFixture
{
    private static string Committed => Path.Combine(RepoPaths.Root, "docs", "openapi.json");

    [Test]
    public async Task DocsOpenApiJson_IsTheDocumentOfTheProtos()
    {
        var generated = OpenApiDocument.Write(Services);

        (await File.ReadAllTextAsync(Committed)).Should().Be(generated, "docs/openapi.json must follow the protos: run scripts/openapi");
    }

    [Test]
    public async Task Served_AtItsPath_SameDocument()
    {
        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var served = JsonNode.Parse(await http.GetStringAsync(new Uri(Address, OpenApiDocument.Path.TrimStart('/'))));

        JsonNode.DeepEquals(served, JsonNode.Parse(OpenApiDocument.Write(Services))).Should().BeTrue();
    }

    [Test]
    public void EveryRestRoute_DescribedWithItsProtoComment()
    {
        var paths = JsonNode.Parse(OpenApiDocument.Write(Services))!["paths"]!.AsObject();

        paths.Select(p => p.Key).Should().Contain(["/v1/{name}:rollup", "/v1/{parent}:applyChanges", "/v1/{parent}:watchRollups", "/v1/trees:validate"]);
        var operations = paths.Sum(p => p.Value!.AsObject().Count);
        var rpcs = AlignmentEngine.Api.V1.AlignmentService.Descriptor.Methods.Count(m => !m.IsClientStreaming);
        operations.Should().Be(rpcs, "every RPC but the client-streaming ImportTree has an HTTP rule");
        paths["/v1/{name}:rollup"]!["get"]!["summary"]!.GetValue<string>().Should().Be("A goal's roll-up: its status and the contribution of every child.");
    }
}
