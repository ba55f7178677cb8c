using System.Collections.Frozen;
using System.Diagnostics;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace AlignmentEngine.Service.Pipeline;

/// <summary>
/// Middleware before endpoint routing: a POST to the exact path of a gRPC method (<c>/package.Service/Method</c>, or a
/// REST/JSON rule's literal path such as <c>/v1/trees:validate</c>) gets that method's endpoint from one dictionary lookup, and endpoint routing, finding the endpoint set, skips its matcher
/// (ASP.NET Core's documented behaviour: "Endpoint already set, skipping route matching"). The matcher's general
/// machinery (path tokenizing, its state machine, the HTTP method policy) is a measurable part of a small call's cost
/// (docs/benchmarks.md, "Transport"); for these paths its answer is known in advance.
/// <para>
/// Only what the matcher would certainly answer the same way is looked up here; everything else goes to the matcher as
/// before: other methods (a CORS preflight, a GET), other paths (REST/JSON, OpenAPI, an unknown method), a path two
/// endpoints share, an endpoint ordered after any other endpoint, or one carrying metadata the routing middleware acts
/// on when it matches (a request size limit). While a diagnostic listener asks for routing's "endpoint matched" event,
/// every request goes to the matcher, which raises it. Paths compare ignoring case, as the matcher compares literals.
/// </para>
/// </summary>
internal sealed class GrpcMethodRoutes(RequestDelegate next, IEndpointRouteBuilder routes, DiagnosticListener diagnostics)
{
    private const string EndpointMatchedEvent = "Microsoft.AspNetCore.Routing.EndpointMatched";

    // Built at the first request: the endpoints are mapped after the middleware is added.
    private FrozenDictionary<string, Endpoint>? _byPath;

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpMethods.IsPost(context.Request.Method)
            && (_byPath ??= Build(routes.DataSources.SelectMany(source => source.Endpoints))).TryGetValue(context.Request.Path.Value ?? string.Empty, out var endpoint)
            && !(diagnostics.IsEnabled() && diagnostics.IsEnabled(EndpointMatchedEvent)))
        {
            context.SetEndpoint(endpoint);
        }

        return next(context);
    }

    /// <summary>The gRPC method endpoints the matcher would choose for a POST to their path, whatever else is mapped.</summary>
    internal static FrozenDictionary<string, Endpoint> Build(IEnumerable<Endpoint> endpoints)
    {
        var all = endpoints.OfType<RouteEndpoint>().ToList();
        var firstOrder = all.Count == 0 ? 0 : all.Min(e => e.Order);
        var literalPaths = all
            .Select(e => (Endpoint: e, Path: LiteralPath(e.RoutePattern)))
            .Where(e => e.Path is not null)
            .GroupBy(e => e.Path!, StringComparer.OrdinalIgnoreCase)
            .Where(sharing => sharing.Count() == 1)
            .Select(sharing => sharing.Single());
        return literalPaths
            .Where(e => e.Endpoint.Order == firstOrder
                && e.Endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is not null
                && e.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is [var method] && HttpMethods.IsPost(method)
                && e.Endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is null)
            .ToFrozenDictionary(e => e.Path!, e => (Endpoint)e.Endpoint, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The path a pattern of literal segments only matches (<c>/a.B/C</c>), or null when it has parameters.</summary>
    private static string? LiteralPath(Microsoft.AspNetCore.Routing.Patterns.RoutePattern pattern) =>
        pattern.Parameters.Count == 0 && pattern.PathSegments.All(segment => segment.IsSimple && segment.Parts[0].IsLiteral)
            ? "/" + string.Join('/', pattern.PathSegments.Select(segment => ((Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart)segment.Parts[0]).Content))
            : null;
}
