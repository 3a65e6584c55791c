using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Platform;

namespace WebIde.AppHost.UnitTests.RestartOnExit;

/// <summary>Which resources of the platform the AppHost starts again when they die (docs/platform.md, "Restarting what dies").</summary>
public sealed class RestartOnExitModelTests
{
    [Test]
    public async Task EveryServiceTheGateRedisRabbitMqAndEpmdAreStartedAgainButNotTheImageBuild()
    {
        await using var builder = await AppModel.BuildAsync();

        var projects = builder.Resources.OfType<ProjectResource>().ToList();
        IResource[] infrastructure = [builder.Resource<IResource>("redis"), builder.Resource<IResource>("rabbitmq"), builder.Resource<IResource>("rabbitmq-epmd")];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(projects.Select(project => project.Name), Is.SupersetOf(new[] { "identity", "filesystem", "collaboration-1", "collaboration-2", "execution", "gateway", "docker-gate" }));
            Assert.That(projects.Where(project => !IsRestarted(project)).Select(project => project.Name), Is.Empty);
            Assert.That(infrastructure.Where(resource => !IsRestarted(resource)).Select(resource => resource.Name), Is.Empty);
            Assert.That(IsRestarted(builder.Resource<IResource>("runner-image")), Is.False, "the image build is meant to finish");
        }
    }

    [Test]
    public async Task InContainersModeTheStoresAreStartedAgainToo()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Mode=containers");

        var containers = builder.Resources.OfType<ContainerResource>().ToList();

        Assert.That(containers.Select(container => container.Name), Is.SupersetOf(new[] { "redis", "rabbitmq", "mongo" }));
        Assert.That(containers.Where(container => !IsRestarted(container)).Select(container => container.Name), Is.Empty);
    }

    [Test]
    public async Task CanBeTurnedOff()
    {
        await using var builder = await AppModel.BuildAsync($"--{RestartOnExitExtensions.Key}=false");

        Assert.That(builder.Resources.Where(IsRestarted).Select(resource => resource.Name), Is.Empty);
    }

    private static bool IsRestarted(IResource resource) => resource.Annotations.OfType<RestartOnExitAnnotation>().Any();
}
