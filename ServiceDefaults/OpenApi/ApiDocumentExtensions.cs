using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace WebIde.ServiceDefaults.OpenApi;

/// <summary>
/// A service's OpenAPI document, served at <c>/openapi/{service}.json</c> and forwarded by the
/// gateway to anyone (docs/api.md §0).
/// </summary>
public static class ApiDocumentExtensions
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services, string service, string title, string description) =>
        services.AddOpenApi(service, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = title;
            document.Info.Description = description;
            // Clients reach the service only through the gateway: paths are relative to wherever they fetched this from.
            document.Servers = [];
            return Task.CompletedTask;
        }));

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Describes the body of an endpoint that reads it itself. <c>Accepts</c> would describe it
    /// too, but it also makes routing refuse any other content type with 415, and these
    /// endpoints take bytes whatever the type says, or answer bad JSON with their own problem.
    /// </summary>
    public static RouteHandlerBuilder DescribesBody<TBody>(this RouteHandlerBuilder endpoint, string contentType) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            IOpenApiSchema schema = typeof(TBody) == typeof(byte[])
                ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" }
                : await context.GetOrCreateSchemaAsync(typeof(TBody), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { [contentType] = new() { Schema = schema } },
            };
        });
}
