using WebIde.Gateway;
using WebIde.Gateway.WebApp;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseWebApp();
app.MapDefaultEndpoints();
app.MapReverseProxy();
app.MapWebAppFallback();

await app.RunAsync();
