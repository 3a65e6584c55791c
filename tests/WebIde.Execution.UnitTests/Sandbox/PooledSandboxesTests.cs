using System.Diagnostics.Metrics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Sandbox;

/// <summary>
/// An engine restart kills every idle container of the warm pool at once, and their attach
/// streams with them: the next run must get past all of them to a live one, not fail on the
/// second. The engine is a substitute whose attach streams die when it "restarts".
/// </summary>
public sealed class PooledSandboxesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private ServiceProvider _services = null!;
    private SandboxMetrics _metrics = null!;
    private IDockerClient _docker = null!;
    private int _containers;
    private int _engineGeneration;

    [SetUp]
    public void CreateEngine()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new SandboxMetrics(_services.GetRequiredService<IMeterFactory>());
        _docker = Substitute.For<IDockerClient>();
        _docker.Containers.CreateContainerAsync(Arg.Any<CreateContainerParameters>(), Arg.Any<CancellationToken>())
            .Returns(_ => new CreateContainerResponse { ID = $"c{Interlocked.Increment(ref _containers)}" });
        _docker.Containers.AttachContainerAsync(Arg.Any<string>(), false, Arg.Any<ContainerAttachParameters>(), Arg.Any<CancellationToken>())
            .Returns(_ => new MultiplexedStream(new EngineConnection(this, Volatile.Read(ref _engineGeneration)), true));
    }

    [TearDown]
    public async Task DisposeAsync()
    {
        _docker.Dispose();
        _metrics.Dispose();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task AfterAnEngineRestartARunGetsPastEveryDeadIdleContainer()
    {
        var sandboxOptions = Options.Create(new SandboxOptions());
        var factory = new SandboxFactory(_docker, sandboxOptions, _metrics, TimeProvider.System, NullLogger<SandboxFactory>.Instance);
        using var pool = new WarmPool(factory, Options.Create(new WarmPoolOptions { Languages = ["python"], DefaultSize = 3 }), sandboxOptions, _metrics, TimeProvider.System, NullLogger<WarmPool>.Instance);
        await pool.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => pool.IdleCount("python") == 3, "the pool fills");
        var users = new UserSandboxes(pool, Options.Create(new WarmPoolOptions()), sandboxOptions, _metrics, TimeProvider.System, NullLogger<UserSandboxes>.Instance);
        var sandboxes = new PooledSandboxes(users, pool, sandboxOptions, NullLogger<PooledSandboxes>.Instance);

        Interlocked.Increment(ref _engineGeneration);
        await using var session = await sandboxes.StartAsync(Request(), CancellationToken.None).WaitAsync(Deadline);

        Assert.That(session.Id, Is.Not.AnyOf("c1", "c2", "c3"), "a container started after the restart");
        foreach (var dead in new[] { "c1", "c2", "c3" })
        {
            await _docker.Containers.Received(1).RemoveContainerAsync(dead, Arg.Is<ContainerRemoveParameters>(parameters => parameters.Force == true), Arg.Any<CancellationToken>());
        }
        await pool.StopAsync(CancellationToken.None);
    }

    private static SandboxRequest Request() =>
        new(Guid.NewGuid(), "user", null, "python", WarmPool.DefaultShape.MemoryBytes, [], [], [], ReadOnlyMemory<byte>.Empty, CloseStdin: true);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            Assert.That(deadline.IsCancellationRequested, Is.False, $"{what}: not within {Deadline.TotalSeconds} s");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>An attach stream that takes whatever is written until the engine it came from restarts, then breaks as a closed socket does.</summary>
    private sealed class EngineConnection(PooledSandboxesTests engine, int generation) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => ThrowIfEngineRestarted();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ThrowIfEngineRestarted();
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ThrowIfEngineRestarted();
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void ThrowIfEngineRestarted()
        {
            if (Volatile.Read(ref engine._engineGeneration) != generation)
            {
                throw new IOException("Broken pipe");
            }
        }
    }
}
