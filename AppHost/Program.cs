using WebIde.AppHost.Infrastructure;
using WebIde.AppHost.Platform;
using WebIde.AppHost.Sandbox;
using WebIde.AppHost.Services;

// `./webide keys rotate` runs the AppHost for its key ring only.
if (ContentKeyCommand.TryRun(args, AppContext.BaseDirectory, Console.Out) is { } keysExitCode)
{
    return keysExitCode;
}

var builder = DistributedApplication.CreateBuilder(PlatformSettings.BuilderOptions(args));
var settings = PlatformSettings.From(builder.Configuration, builder.AppHostDirectory);
builder.AddModeParameter(settings);

// Infrastructure: local processes (mode "local") or containers (mode "containers").
var redis = builder.AddCache("redis", settings);
var rabbitmq = builder.AddMessageBroker("rabbitmq", settings);
var mongo = builder.AddDocumentStore("mongo", settings);
var runnerImage = builder.AddRunnerImage("runner-image", settings);
// The only process that holds the Docker socket: execution reaches the engine through its allowlist.
var dockerGate = builder.AddDockerGate("docker-gate", settings, runnerImage);

// Services, each with its own store; they call each other over gRPC and hear each other's events.
// Each runs as many instances as `--scale` asks (one by default), reached in turn under its name.
var identity = builder.AddService<Projects.WebIde_Identity>("identity", settings, identity => identity
    .WithStore(settings, mongo)
    .WithContentKeys(settings)
    .Needs(redis, rabbitmq));

var filesystem = builder.AddService<Projects.WebIde_FileSystem>("filesystem", settings, filesystem => filesystem
    .WithStore(settings, mongo)
    .WithContentKeys(settings)
    .Needs(redis, rabbitmq)
    .Calls(identity)
    .WithServiceCredentials(identity)
    .WithSettings(builder.Configuration, "WebIde:FileSystem", "FileSystem"));

// At least two collaboration instances serve any document together: Redis orders its operations,
// and the gateway moves editors to another when one goes down.
var collaboration = builder.AddService<Projects.WebIde_Collaboration>("collaboration", settings, collaboration => collaboration
    .WithStore(settings, mongo)
    .WithContentKeys(settings)
    .Needs(redis, rabbitmq)
    .Calls(identity, filesystem)
    .WithServiceCredentials(identity)
    .WithSettings(builder.Configuration, "WebIde:Collaboration", "Collaboration"), atLeast: 2);

var execution = builder.AddService<Projects.WebIde_Execution>("execution", settings, execution => execution
    .WithStore(settings, mongo)
    .Needs(redis, rabbitmq)
    .Calls(identity, filesystem)
    .WithServiceCredentials(identity)
    .WithRunnerImage(runnerImage)
    .WithSandboxInstallation(settings)
    .WithSettings(builder.Configuration, "WebIde:Execution", "Execution")
    .WithSettings(builder.Configuration, "WebIde:Sandbox", "Sandbox")
    .WithDockerGate(dockerGate));

// The one public entry: the web app, REST, WebSockets and the execution gRPC API.
var gateway = builder.AddGateway(settings, gateway => gateway
    .RunBuiltBinary()
    .RunAsServiceUser(settings)
    .WithAppHostEnvironment()
    .WithLeanRuntime()
    .WithPublicEndpoints(settings)
    .WithWebApp(settings)
    .WithRequestBudget(builder.Configuration)
    .WithSettings(builder.Configuration, "WebIde:ForwardedHeaders", "ForwardedHeaders")
    .WithOperatorKey(settings)
    .WithGatewayConfig(settings)
    .Needs(redis)
    .Calls(identity, filesystem, collaboration, execution)
    .WithCollaborationDestinations(collaboration));
gateway.First.AnnounceWhenReady(settings);

// What dies while the platform runs is started again, as Kubernetes would (WebIde:RestartOnExit).
builder.RestartWhatExits();

builder.Build().Run();
return 0;
