using WebIde.Execution;
using WebIde.Execution.DockerGate;

// `WebIde.Execution docker-gate`: the service's privileged half, the only process that holds the Docker socket.
if (DockerGateHost.IsRequested(args))
{
    await DockerGateHost.RunAsync(args[1..]);
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.MapApplicationEndpoints();

await app.RunAsync();
