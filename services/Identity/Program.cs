using WebIde.Identity;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.MapApplicationEndpoints();

await app.RunAsync();
