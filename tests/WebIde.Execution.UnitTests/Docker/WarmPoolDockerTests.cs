using System.Diagnostics.Metrics;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Docker;

/// <summary>The warm pool over the real engine: filled to its size, refilled after a take, grown by load.</summary>
public sealed class WarmPoolDockerTests
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    [Test]
    public async Task ATakeGetsAPrestartedContainerAndThePoolRefills()
    {
        using var docker = new RealDocker(new WarmPoolOptions { DefaultSize = 0, Sizes = { ["python"] = 1 } });
        await docker.Pool.StartAsync(CancellationToken.None);
        try
        {
            await RealDocker.WaitUntilAsync(() => Task.FromResult(docker.Pool.IdleCount("python") == 1), TimeSpan.FromSeconds(60), "the pool fills");
            var warm = (await docker.ContainersLabelledAsync($"{SandboxLabels.Pool}=python")).Single();

            await using (var taken = await docker.Pool.TakeAsync("python", WarmPool.DefaultShape, NoLabels, CancellationToken.None))
            {
                Assert.That(taken.Id, Is.EqualTo(warm.ID), "the run got the container that was waiting");
                await RealDocker.WaitUntilAsync(() => Task.FromResult(docker.Pool.IdleCount("python") >= 1), TimeSpan.FromSeconds(60), "the pool refills");
            }

            Assert.That(docker.Pool.IdleCount("javascript"), Is.Zero, "languages sized 0 keep nothing warm");
        }
        finally
        {
            await docker.Pool.StopAsync(CancellationToken.None);
        }

        await RealDocker.WaitUntilAsync(async () => (await docker.ContainersLabelledAsync($"{SandboxLabels.Pool}=python")).Count == 0,
            TimeSpan.FromSeconds(30), "a stopped pool removes its containers");
    }

    [Test]
    public async Task DemandRaisesTheTargetUpToTheMaximum()
    {
        // Demand is counted on a clock of the test's, so a slow machine's starts do not spread it out.
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        using var docker = new RealDocker(new WarmPoolOptions { DefaultSize = 0, Sizes = { ["bash"] = 1 }, MaxSize = 3, DemandWindow = TimeSpan.FromSeconds(2) }, poolTime: clock);
        var targets = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == SandboxMetrics.MeterName && instrument.Name == "webide.sandbox.pool.target")
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => targets[(string)tags[0].Value!] = value);
        listener.Start();

        listener.RecordObservableInstruments();
        Assert.That(targets["bash"], Is.EqualTo(1), "idle, the target is the configured size");

        // Ten runs within the window: demand of five a second, capped at three.
        for (var i = 0; i < 10; i++)
        {
            await using var taken = await docker.Pool.TakeAsync("bash", WarmPool.DefaultShape, NoLabels, CancellationToken.None);
        }
        listener.RecordObservableInstruments();
        Assert.That(targets["bash"], Is.EqualTo(3));

        clock.Advance(TimeSpan.FromSeconds(2.5));
        listener.RecordObservableInstruments();
        Assert.That(targets["bash"], Is.EqualTo(1), "once the window has passed, the target falls back");
    }
}
