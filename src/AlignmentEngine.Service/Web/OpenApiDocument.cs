using AlignmentEngine.Api.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Writers;
using Swashbuckle.AspNetCore.Swagger;

namespace AlignmentEngine.Service.Web;

/// <summary>
/// The OpenAPI 3 document of the REST/JSON routes, generated from the protos' HTTP rules and comments
/// (Microsoft.AspNetCore.Grpc.Swagger reads the comments from the XML documentation Grpc.Tools writes into
/// AlignmentEngine.Api). <c>okr serve</c> serves it at <see cref="Path"/>; <c>okr openapi</c> prints it
/// (<c>scripts/openapi</c> keeps <c>docs/openapi.json</c> up to date with it).
/// </summary>
public static class OpenApiDocument
{
    /// <summary>Where <c>okr serve</c> serves the document.</summary>
    public const string Path = "/openapi/v1.json";

    private const string Name = "v1";

    internal static void AddOpenApiDocument(this IServiceCollection services)
    {
        services.AddGrpcSwagger();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc(Name, new OpenApiInfo
            {
                Title = "AlignmentEngine",
                Version = Name,
                Description = "okr.alignment.v1.AlignmentService as REST/JSON. API keys go in the header 'authorization: Bearer okr_...'. " +
                              "Errors are google.rpc.Status JSON; streaming methods answer one JSON message per line.",
            });
            var comments = System.IO.Path.ChangeExtension(typeof(GetRollupRequest).Assembly.Location, ".xml");
            swagger.IncludeXmlComments(comments);
            swagger.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
        });
    }

    internal static void MapOpenApiDocument(this WebApplication app) =>
        app.UseSwagger(options => options.RouteTemplate = "openapi/{documentName}.json");

    /// <summary>The document as <c>okr serve</c> serves it, as JSON.</summary>
    public static string Write(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var document = services.GetRequiredService<ISwaggerProvider>().GetSwagger(Name);
        using var text = new StringWriter();
        document.SerializeAsV3(new OpenApiJsonWriter(text));
        return text.ToString().ReplaceLineEndings("\n") + "\n";
    }
}
