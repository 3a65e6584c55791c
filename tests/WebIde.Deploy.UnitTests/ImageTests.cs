using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>
/// The pods run the images <c>./webide images</c> builds (deploy/images/images.txt) at the platform's version
/// (deploy/images/VERSION), or one of the few images the cluster pulls because none is built here, at a fixed tag.
/// </summary>
public sealed class ImageTests
{
    /// <summary>Pulled by the operator's cluster: no MongoDB server or collector is built for this platform.</summary>
    private static readonly string[] ExternalImages = ["mongo", "otel/opentelemetry-collector"];

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void IsAPlatformImageAtItsVersionOrAPinnedExternalOne(Overlay overlay, Container container)
    {
        var image = container.Spec.Image;
        var tag = PlatformImages.TagOf(image);
        if (ExternalImages.Contains(image.Split(':')[0]))
        {
            Assert.That(tag, Is.Not.Null.And.Not.EqualTo("latest"), image);
            return;
        }
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PlatformImages.Kinds.Keys, Does.Contain(PlatformImages.NameOf(image)), image);
            Assert.That(tag, Is.EqualTo(PlatformImages.Version), image);
        }
    }

    /// <summary>
    /// The runner image is not the kubelet's to pull but the execution nodes' Docker engines' to hold; execution and
    /// its gate must name the one <c>./webide images</c> tags.
    /// </summary>
    [TestCaseSource(typeof(Overlay), nameof(Overlay.All))]
    public void ExecutionAndItsGateUseTheRunnerImageAtThePlatformsVersion(Overlay overlay)
    {
        var execution = overlay.Manifests.Workload("execution");
        var service = ContainerEnvironment.Of(execution.Containers.Single(container => container.Name == "execution"), overlay.Manifests, "execution-pod");
        var gate = ContainerEnvironment.Of(execution.Containers.Single(container => container.Name == "docker-gate"), overlay.Manifests, "execution-pod");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(service["Sandbox__RunnerImage"], Is.EqualTo($"webide-runner:{PlatformImages.Version}"));
            Assert.That(PlatformImages.Kinds, Does.ContainKey("webide-runner"));
            Assert.That(gate["DockerGate__AllowedImages__0"], Is.EqualTo(service["Sandbox__RunnerImage"]));
            Assert.That(gate["DockerGate__Installation"], Is.EqualTo(service["Sandbox__Installation"]));
            Assert.That(service["Sandbox__DockerEndpoint"], Is.EqualTo($"unix://{gate["DockerGate__Socket"]}"));
            // The socket is 0660: handed to execution's user, or execution could not connect.
            var user = execution.Containers.Single(container => container.Name == "execution");
            Assert.That(gate["DockerGate__SocketOwner"], Is.EqualTo($"{user.RunAsUser}:{user.RunAsGroup}"));
        }
    }
}
