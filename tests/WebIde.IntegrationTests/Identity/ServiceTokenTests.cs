using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using WebIde.Contracts.Identity.V1;

namespace WebIde.IntegrationTests.Identity;

/// <summary>Service-to-service calls: client credentials, and gRPC that refuses the unauthenticated.</summary>
public sealed class ServiceTokenTests
{
    [Test]
    public async Task AnUnauthenticatedAuthorizeCallIsUnauthenticated()
    {
        using var channel = GrpcChannel.ForAddress(Platform.App.GetEndpoint("identity", "grpc"));
        var authorization = new WebIde.Contracts.Identity.V1.Authorization.AuthorizationClient(channel);

        var error = Assert.ThrowsAsync<RpcException>(async () =>
            await authorization.AuthorizeAsync(new AuthorizeRequest { WorkspaceId = Guid.NewGuid().ToString(), UserId = Guid.NewGuid().ToString() }));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
    }

    [Test]
    public async Task AServiceWithItsCredentialsGetsATokenThatAuthorizeAccepts()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, owner) = await Accounts.SignedInUserAsync(client, "svcowner");
        using var created = await client.SendAsync(WithBody(Accounts.Authorized(HttpMethod.Post, "/api/workspaces", owner.Access()), new { name = "svc" }));
        var workspaceId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var ownerId = Jwt.Decode(owner.Access()).Payload.GetProperty("sub").GetString()!;

        using var tokenResponse = await ServiceClients.RequestTokenAsync("filesystem", await ServiceClients.ClientSecretAsync("filesystem"));
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        using var channel = GrpcChannel.ForAddress(Platform.App.GetEndpoint("identity", "grpc"));
        var authorization = new WebIde.Contracts.Identity.V1.Authorization.AuthorizationClient(channel);
        var answer = await authorization.AuthorizeAsync(
            new AuthorizeRequest { WorkspaceId = workspaceId, UserId = ownerId },
            new Metadata { { "authorization", $"Bearer {token}" } });

        Assert.Multiple(() =>
        {
            Assert.That(tokenResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Jwt.Decode(token).Payload.GetProperty("sub").GetString(), Is.EqualTo("service:filesystem"));
            Assert.That(answer.Role, Is.EqualTo(Role.Owner));
        });
    }

    [Test]
    public async Task AWrongSecretOrAnUnknownClientGetsNoToken()
    {
        using var wrongSecret = await ServiceClients.RequestTokenAsync("filesystem", "guess");
        using var unknown = await ServiceClients.RequestTokenAsync("intruder", await ServiceClients.ClientSecretAsync("filesystem"));

        Assert.That(wrongSecret.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task TheTokenEndpointIsNotReachableThroughTheGateway()
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static HttpRequestMessage WithBody(HttpRequestMessage request, object body)
    {
        request.Content = JsonContent.Create(body);
        return request;
    }
}
