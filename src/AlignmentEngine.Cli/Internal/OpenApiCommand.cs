using System.CommandLine;
using AlignmentEngine.Service;
using AlignmentEngine.Service.Hosting;
using AlignmentEngine.Service.Web;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr openapi</c>: prints the OpenAPI document of the REST/JSON routes, exactly as <c>okr serve</c> serves it at
/// <see cref="OpenApiDocument.Path"/>. The service is built, not started: nothing listens and no store is opened.
/// <c>scripts/openapi</c> writes it to docs/openapi.json.
/// </summary>
internal static class OpenApiCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("openapi", $"Print the OpenAPI document of the REST/JSON API (what okr serve serves at {OpenApiDocument.Path}).");
        command.SetAction(async (_, cancellation) =>
        {
            await using var host = AlignmentServer.Create(new GrpcServerHostOptions());
            await console.Out.WriteAsync(OpenApiDocument.Write(host.Services)).ConfigureAwait(false);
            await console.Out.FlushAsync(cancellation).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
