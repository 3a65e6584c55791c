using WebIde.Identity;
using WebIde.Identity.Apis;
using WebIde.Identity.Grpc;
using WebIde.Identity.Workspaces;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.UseForwardedHeaders();
app.MapDefaultEndpoints();
app.MapAuthApi();
app.MapServiceTokenApi();
app.MapWorkspacesApi();
app.MapGrpcService<AuthorizationService>();

await app.RunAsync();
