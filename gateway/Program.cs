using WebIde.Gateway;
using WebIde.Gateway.Authentication;
using WebIde.Gateway.Health;
using WebIde.Gateway.Proxies;
using WebIde.Gateway.RateLimiting;
using WebIde.Gateway.Routing;
using WebIde.Gateway.WebApp;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// First: everything after it (rate limits, the services behind) sees the client a trusted proxy names, or the peer.
app.UseTrustedProxies();
app.UseMiddleware<SecurityHeaders>();
app.UseMiddleware<DotSegmentGuard>();
// Static files first: once routing has matched the app's catch-all route, they are skipped.
app.UseWebApp();
app.UseRouting();
app.MapDefaultEndpoints(withDependencyHealth: false);
app.MapGatewayHealth();
app.UseMiddleware<InvalidTokenGuard>();
app.UseMiddleware<RequestBudget>();
app.MapReverseProxy(proxy =>
{
    proxy.Use(UnreachableService.AnswerAsync);
    // YARP's own steps, which a pipeline given here replaces.
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});
app.MapWebAppFallback();

await app.RunAsync();
