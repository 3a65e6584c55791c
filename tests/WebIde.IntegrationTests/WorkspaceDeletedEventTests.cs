using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Docker.DotNet;
using Docker.DotNet.Models;
using MassTransit;
using WebIde.Contracts.Events;
using WebIde.Execution.Sandbox;
using WebIde.IntegrationTests.Identity;
using WebIde.Tests.Shared;

namespace WebIde.IntegrationTests;

/// <summary>
/// The integration-event pipeline end to end: an event published on the platform's RabbitMQ
/// (as identity publishes it when an owner deletes a workspace) reaches the execution
/// service, which removes that workspace's sandbox containers — and only those.
/// </summary>
public sealed class WorkspaceDeletedEventTests
{
    private DockerClient _docker = null!;
    private readonly List<string> _containers = [];

    [SetUp]
    public void CreateDockerClient() =>
        _docker = new DockerClientConfiguration(new Uri("unix:///var/run/docker.sock")).CreateClient();

    [TearDown]
    public async Task RemoveLeftoversAsync()
    {
        foreach (var id in _containers)
        {
            try
            {
                await _docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
            }
            catch (DockerContainerNotFoundException)
            {
                // Already gone, as most of them should be.
            }
        }
        _docker.Dispose();
    }

    [Test]
    public async Task DeletingAWorkspaceRemovesItsSandboxesAndNoOthers()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var deleted = Guid.NewGuid();
        var kept = Guid.NewGuid();
        var doomed = await StartSandboxAsync(deleted, deadline.Token);
        var survivor = await StartSandboxAsync(kept, deadline.Token);

        var rabbitUri = new Uri(await Platform.App.GetConnectionStringAsync("rabbitmq", deadline.Token) ?? throw new InvalidOperationException("no rabbitmq connection string"));
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
            rabbit.Host(rabbitUri));
        await bus.StartAsync(deadline.Token);
        try
        {
            await bus.Publish(new WorkspaceDeleted(deleted, Guid.NewGuid(), DateTimeOffset.UtcNow), deadline.Token);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }

        while (await ExistsAsync(doomed, deadline.Token))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }

        var other = await _docker.Containers.InspectContainerAsync(survivor, deadline.Token);
        Assert.That(other.State.Running, Is.True, "a sandbox of another workspace was touched");
    }

    [Test]
    public async Task AnOwnerDeletingAWorkspaceThroughTheApiStopsItsRunningPrograms()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = Platform.CreateGatewayClient();
        var (_, owner) = await Accounts.SignedInUserAsync(client, "deleter");
        using var create = Accounts.Authorized(HttpMethod.Post, "/api/workspaces", owner.Access());
        create.Content = JsonContent.Create(new { name = "doomed" });
        using var created = await client.SendAsync(create, deadline.Token);
        var workspace = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>(deadline.Token)).GetProperty("id").GetString()!);
        var program = await StartSandboxAsync(workspace, deadline.Token);

        using var deleted = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{workspace}", owner.Access()), deadline.Token);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        while (await ExistsAsync(program, deadline.Token))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    private async Task<string> StartSandboxAsync(Guid workspace, CancellationToken cancellationToken)
    {
        var created = await _docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = RunnerImage.Tag,
            Cmd = ["sleep", "300"],
            Labels = new Dictionary<string, string>(SandboxLabels.Owned(Platform.Installation))
            {
                [SandboxLabels.Workspace] = workspace.ToString(),
            },
            HostConfig = new HostConfig { NetworkMode = "none", Init = true },
        }, cancellationToken);
        _containers.Add(created.ID);
        await _docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
        return created.ID;
    }

    private async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await _docker.Containers.InspectContainerAsync(id, cancellationToken);
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
    }
}
