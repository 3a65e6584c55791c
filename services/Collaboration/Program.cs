using WebIde.Collaboration;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.MapApplicationEndpoints();

await app.RunAsync();
