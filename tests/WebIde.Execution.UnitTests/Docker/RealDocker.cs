using System.Diagnostics;
using System.Diagnostics.Metrics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Docker;

/// <summary>
/// The sandbox parts wired as the service wires them, over the machine's real Docker engine and
/// runner image (<c>./webide test</c> starts the engine and builds the image first).
/// </summary>
public sealed class RealDocker : IDisposable
{
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public RealDocker(WarmPoolOptions? pool = null, SandboxOptions? sandbox = null, TimeProvider? poolTime = null)
    {
        Sandbox = sandbox ?? new SandboxOptions();
        Sandbox.RunnerImage = RunnerImage.Tag;
        Sandbox.Installation = Checkout.Installation;
        Client = new DockerClientConfiguration(new Uri(Sandbox.DockerEndpoint)).CreateClient();
        Metrics = new SandboxMetrics(_metrics.GetRequiredService<IMeterFactory>());
        Factory = new SandboxFactory(Client, Options.Create(Sandbox), Metrics, TimeProvider.System, NullLogger<SandboxFactory>.Instance);
        var poolOptions = pool ?? new WarmPoolOptions { DefaultSize = 0 };
        poolOptions.Languages = new LanguageCatalog().Names;
        Pool = new WarmPool(Factory, Options.Create(poolOptions), Options.Create(Sandbox), Metrics, poolTime ?? TimeProvider.System, NullLogger<WarmPool>.Instance);
        Users = new UserSandboxes(Pool, Options.Create(poolOptions), Options.Create(Sandbox), Metrics, poolTime ?? TimeProvider.System, NullLogger<UserSandboxes>.Instance);
        Sandboxes = new PooledSandboxes(Users, Pool, Options.Create(Sandbox), NullLogger<PooledSandboxes>.Instance);
        Runner = new Runner(Sandboxes, new LanguageVersions(Client, Options.Create(Sandbox)), Metrics, Options.Create(new RunsOptions()), Options.Create(Sandbox), NullLogger<Runner>.Instance);
    }

    public IDockerClient Client { get; }

    public SandboxOptions Sandbox { get; }

    public SandboxMetrics Metrics { get; }

    public SandboxFactory Factory { get; }

    public WarmPool Pool { get; }

    /// <summary>The users' own containers, taken from <see cref="Pool"/>.</summary>
    public UserSandboxes Users { get; }

    public PooledSandboxes Sandboxes { get; }

    public Runner Runner { get; }

    /// <summary>This instance's containers with the label: other platforms on the machine have pools of their own.</summary>
    public async Task<IList<ContainerListResponse>> ContainersLabelledAsync(string label) =>
        await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [label] = true, [$"{SandboxLabels.Instance}={Factory.InstanceId}"] = true },
            },
        });

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"{what}: not within {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Removes every container this instance started: the users' idle ones have no hosted service here to retire them.</summary>
    public void Dispose()
    {
        var left = ContainersLabelledAsync($"{SandboxLabels.Managed}=true").GetAwaiter().GetResult();
        foreach (var container in left)
        {
            try
            {
                Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }).GetAwaiter().GetResult();
            }
            catch (DockerContainerNotFoundException)
            {
            }
            catch (DockerApiException conflict) when (conflict.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // The pool is already removing it (a killed run's container goes at once): nothing left to do.
            }
        }
        Pool.Dispose();
        Metrics.Dispose();
        Client.Dispose();
        _metrics.Dispose();
    }
}
