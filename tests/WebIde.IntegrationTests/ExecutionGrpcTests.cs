using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace WebIde.IntegrationTests;

/// <summary>The gateway's gRPC listener (HTTP/2, over TLS when the run is) reaches the execution service.</summary>
public sealed class ExecutionGrpcTests
{
    [Test]
    public async Task TheStandardHealthServiceAnswersServingThroughTheGateway()
    {
        using var channel = GatewayTls.GrpcChannel();
        var health = new Health.HealthClient(channel);

        var answer = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.That(answer.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
    }

    [Test]
    public async Task ServerReflectionListsTheServicesThroughTheGateway()
    {
        using var channel = GatewayTls.GrpcChannel();
        var reflection = new ServerReflection.ServerReflectionClient(channel);

        using var call = reflection.ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(30));
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None), Is.True);

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(service => service.Name);
        Assert.That(services, Does.Contain("grpc.health.v1.Health"));
    }
}
