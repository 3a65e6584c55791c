using WebIde.Identity;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();

await app.RunAsync();
