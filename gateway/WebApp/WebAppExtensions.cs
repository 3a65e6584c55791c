using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace WebIde.Gateway.WebApp;

public static class WebAppExtensions
{
    /// <summary>Paths that belong to the API, never to the single-page app's client-side routes.</summary>
    // A missing hashed asset (an old tab after a deploy) is a 404 too, never the shell as a script.
    private static readonly string[] ServerPaths = ["/api", "/ws", "/health", "/alive", "/assets"];

    public static IHostApplicationBuilder AddWebApp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebAppOptions>().Bind(builder.Configuration.GetSection(WebAppOptions.Section));
        builder.Services.AddSingleton<IFileProvider>(services =>
        {
            var root = services.GetRequiredService<IOptions<WebAppOptions>>().Value.Root;
            return Directory.Exists(root) ? new PhysicalFileProvider(Path.GetFullPath(root)) : new NullFileProvider();
        });
        return builder;
    }

    /// <summary>
    /// Vite names every asset by its content hash, so an asset never changes: browsers may keep
    /// it for good. <c>index.html</c> names the current ones, so it is never cached.
    /// </summary>
    public static WebApplication UseWebApp(this WebApplication app)
    {
        var files = app.Services.GetRequiredService<IFileProvider>();
        if (files is NullFileProvider)
        {
            app.Logger.LogWarning("The web app is not built ({Section}:Root is missing); run ./webide up to build it", WebAppOptions.Section);
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.CacheControl = context.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
        return app;
    }

    /// <summary>Client-side routes (<c>/w/…</c>) load the app's shell; unknown server paths stay 404.</summary>
    public static WebApplication MapWebAppFallback(this WebApplication app)
    {
        var files = app.Services.GetRequiredService<IFileProvider>();
        // Every method: a POST to an unknown API path is a 404 like a GET, not a 405.
        app.Map("/{**path}", async context =>
        {
            var index = files.GetFileInfo("index.html");
            var isRead = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            if (!isRead || ServerPaths.Any(prefix => context.Request.Path.StartsWithSegments(prefix)) || !index.Exists)
            {
                await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found").ExecuteAsync(context);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            await context.Response.SendFileAsync(index, context.RequestAborted);
        }).WithOrder(int.MaxValue);
        return app;
    }
}
