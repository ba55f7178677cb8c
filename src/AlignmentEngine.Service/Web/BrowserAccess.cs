using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Web;

/// <summary>
/// gRPC-Web (Grpc.AspNetCore.Web) for every gRPC service, so a browser page calls the service directly, over HTTP/1.1
/// or HTTP/2, in binary (<c>application/grpc-web</c>) or base64 (<c>application/grpc-web-text</c>). A page served from
/// another origin may call only when that origin is listed in <see cref="AlignmentServiceOptions.CorsOrigins"/>
/// (<c>okr serve --cors-origin</c>); with none listed no CORS header is ever sent, so browsers refuse every
/// cross-origin call.
/// </summary>
internal static class BrowserAccess
{
    /// <summary>Response headers a page's script may read: gRPC-Web's status, sent as headers in a trailers-only answer.</summary>
    private static readonly string[] ExposedHeaders = ["grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding", "grpc-accept-encoding"];

    public static void AddBrowserAccess(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<AlignmentServiceOptions>>((cors, service) =>
        {
            if (service.Value.CorsOrigins.Count == 0) return;
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. service.Value.CorsOrigins])
                .WithMethods("GET", "POST")
                .AllowAnyHeader()
                .WithExposedHeaders(ExposedHeaders));
        });
    }

    public static void UseBrowserAccess(this WebApplication app)
    {
        app.UseCors();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
    }
}
