using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>
/// The pods run the platform's images the way <c>./webide images</c> built them to run (docs/deploy-images.md): as
/// the image's user, through its entrypoint, on the ports it listens on, with its passwords in files. The images'
/// side is read from deploy/images (<see cref="ImageContract"/>), so a change there fails here until the manifests
/// follow.
/// </summary>
public sealed class ImageContractTests
{
    /// <summary>Where the images decide on which addresses and ports a service listens.</summary>
    private static readonly string[] ListeningSettings = ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "Kestrel__Endpoints__"];

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void RunsAsItsImagesUser(Overlay overlay, Container container)
    {
        var user = ImageContract.UserOf(container.Spec.Image);
        if (user is null)
        {
            Assert.Pass("not a platform image");
        }
        Assert.That((container.RunAsUser, container.RunAsGroup), Is.EqualTo((user, user)));
    }

    /// <summary>A persistent volume is given to the pod's group: it must be the image's, or its daemon cannot write there.</summary>
    [TestCaseSource(typeof(Cases), nameof(Cases.Workloads))]
    public void GivesItsPersistentVolumesToTheImagesGroup(Overlay overlay, Workload workload)
    {
        if (workload.StatefulSet?.Spec.VolumeClaimTemplates is not { Count: > 0 })
        {
            Assert.Pass("no persistent volume");
        }
        var users = workload.Containers.Select(container => ImageContract.UserOf(container.Spec.Image)).OfType<long>().Distinct().ToList();
        if (users.Count == 0)
        {
            Assert.Pass("no platform image");
        }
        Assert.That(workload.Pod.SecurityContext?.FsGroup, Is.EqualTo(users.Single()));
    }

    /// <summary>The entrypoint is where an image takes its password and settings; a command would bypass it.</summary>
    [TestCaseSource(typeof(Cases), nameof(Cases.LongRunningContainers))]
    public void RunsItsImagesEntrypoint(Overlay overlay, Container container)
    {
        if (ImageContract.UserOf(container.Spec.Image) is null)
        {
            Assert.Pass("not a platform image");
        }
        Assert.That(container.Spec.Command, Is.Null.Or.Empty);
    }

    [TestCaseSource(typeof(Cases), nameof(Cases.LongRunningContainers))]
    public void DeclaresOnlyPortsItsImageListensOn(Overlay overlay, Container container)
    {
        if (ImageContract.UserOf(container.Spec.Image) is null)
        {
            Assert.Pass("not a platform image");
        }
        var declared = (container.Spec.Ports ?? []).Select(port => port.ContainerPort).ToList();
        Assert.That(ImageContract.PortsOf(container.Spec.Image), Is.SupersetOf(declared));
    }

    /// <summary>Every port of a .NET service is declared, so its Service and the probes can name it (the gate listens on a Unix socket).</summary>
    [TestCaseSource(typeof(Cases), nameof(Cases.LongRunningContainers))]
    public void DeclaresEveryPortOfAServiceImage(Overlay overlay, Container container)
    {
        if (!PlatformImages.IsDotnetService(container.Spec.Image) || container.Spec.Args?.Contains("docker-gate") == true)
        {
            Assert.Pass("not a serving .NET service");
        }
        var declared = (container.Spec.Ports ?? []).Select(port => port.ContainerPort);
        Assert.That(declared, Is.EquivalentTo(ImageContract.PortsOf(container.Spec.Image)));
    }

    /// <summary>The images set where a service listens (deploy/images/contract.conf); a second setting here could only differ.</summary>
    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void LeavesListeningAddressesToTheImage(Overlay overlay, Container container)
    {
        if (!PlatformImages.IsDotnetService(container.Spec.Image))
        {
            Assert.Pass("not a .NET service image");
        }
        var names = (container.Spec.Env ?? []).Select(variable => variable.Name);
        Assert.That(names.Where(name => ListeningSettings.Any(name.StartsWith)), Is.Empty);
    }

    /// <summary>
    /// Redis and RabbitMQ take their passwords from files (REDIS_PASSWORD_FILE, RABBITMQ_DEFAULT_PASS_FILE): a variable
    /// stays in the daemon's environment, which its logs and crash dumps may show.
    /// </summary>
    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void DaemonsReadTheirSecretsFromMountedFiles(Overlay overlay, Container container)
    {
        if (PlatformImages.Kinds.GetValueOrDefault(PlatformImages.NameOf(container.Spec.Image)) != "debian")
        {
            Assert.Pass("not a Debian image");
        }
        var secretMounts = (container.Spec.VolumeMounts ?? [])
            .Where(mount => container.Workload.Pod.Volumes?.Any(volume => volume.Name == mount.Name && volume.Secret is not null) == true)
            .Select(mount => mount.MountPath.TrimEnd('/') + "/")
            .ToList();
        var files = (container.Spec.Env ?? []).Where(variable => variable.Name.EndsWith("_FILE", StringComparison.Ordinal) && variable.Value is not null).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((container.Spec.Env ?? []).Where(variable => variable.ValueFrom?.SecretKeyRef is not null).Select(variable => variable.Name), Is.Empty, "secrets in variables");
            foreach (var file in files.Where(file => file.Name.Contains("PASS", StringComparison.Ordinal)))
            {
                Assert.That(secretMounts.Any(mount => file.Value.StartsWith(mount, StringComparison.Ordinal)), Is.True, $"{file.Name}={file.Value} is on a mounted Secret");
            }
            Assert.That(files.Any(file => file.Name.Contains("PASS", StringComparison.Ordinal)), Is.True, "a password file is given");
        }
    }
}
