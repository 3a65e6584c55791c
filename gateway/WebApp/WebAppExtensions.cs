using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace WebIde.Gateway.WebApp;

public static class WebAppExtensions
{
    /// <summary>Paths that belong to the API, never to the single-page app's client-side routes.</summary>
    // A missing hashed asset (an old tab after a deploy) is a 404 too, never the shell as a script.
    private static readonly string[] ServerPaths = ["/api", "/ws", "/health", "/alive", "/assets"];

    /// <summary>The app's shell, which every client-side route loads.</summary>
    private static readonly PathString ShellPath = "/index.html";

    public static IHostApplicationBuilder AddWebApp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebAppOptions>().Bind(builder.Configuration.GetSection(WebAppOptions.Section));
        builder.Services.AddSingleton<IFileProvider>(services =>
        {
            var root = services.GetRequiredService<IOptions<WebAppOptions>>().Value.Root;
            return Directory.Exists(root) ? new PhysicalFileProvider(Path.GetFullPath(root)) : new NullFileProvider();
        });
        builder.Services.AddSingleton<PrecompressedFiles>();
        return builder;
    }

    /// <summary>The built web app's files: compressed when the browser accepts it, cached as <see cref="WebAppCaching"/> says.</summary>
    public static WebApplication UseWebApp(this WebApplication app)
    {
        var files = app.Services.GetRequiredService<IFileProvider>();
        if (files is NullFileProvider)
        {
            app.Logger.LogWarning("The web app is not built ({Section}:Root is missing); run ./webide up to build it", WebAppOptions.Section);
        }

        var precompressed = app.Services.GetRequiredService<PrecompressedFiles>();
        app.Use(async (context, next) =>
        {
            if (!await precompressed.TrySendAsync(context, context.Request.Path))
            {
                await next(context);
            }
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = WebAppCaching.CacheControlFor(context.Context.Request.Path),
        });
        return app;
    }

    /// <summary>Client-side routes (<c>/w/…</c>) load the app's shell; unknown server paths stay 404.</summary>
    public static WebApplication MapWebAppFallback(this WebApplication app)
    {
        var files = app.Services.GetRequiredService<IFileProvider>();
        var precompressed = app.Services.GetRequiredService<PrecompressedFiles>();
        // Every method: a POST to an unknown API path is a 404 like a GET, not a 405.
        app.Map("/{**path}", async context =>
        {
            var index = files.GetFileInfo(ShellPath.Value!);
            var isRead = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            if (!isRead || ServerPaths.Any(prefix => context.Request.Path.StartsWithSegments(prefix)) || !index.Exists)
            {
                await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found").ExecuteAsync(context);
                return;
            }

            if (await precompressed.TrySendAsync(context, ShellPath))
            {
                return;
            }
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = WebAppCaching.CacheControlFor(ShellPath);
            await context.Response.SendFileAsync(index, context.RequestAborted);
        }).WithOrder(int.MaxValue);
        return app;
    }
}
