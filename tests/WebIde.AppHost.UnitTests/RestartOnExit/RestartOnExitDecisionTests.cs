using System.Collections.Immutable;
using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Platform;
using WebIde.AppHost.Sandbox;

namespace WebIde.AppHost.UnitTests.RestartOnExit;

/// <summary>
/// Which of the orchestrator's state changes make the AppHost start a resource again: a process
/// that died by itself, never one an operator stopped, one meant to finish, or anything while the
/// platform shuts down.
/// </summary>
public sealed class RestartOnExitDecisionTests
{
    private readonly RestartOnExitDecision _decision = new();
    private readonly ExecutableResource _redis = Marked(new ExecutableResource("redis", "redis-server", "."));

    [TestCase("Finished", TestName = "AProcessKilledWhileRunningIsStartedAgain")]
    [TestCase("Exited", TestName = "AContainerThatExitedWhileRunningIsStartedAgain")]
    public void AnExitStraightFromRunningIsStartedAgain(string end)
    {
        Assert.That(Observe(_redis, "redis-abc", "Starting", "Running", end), Is.EqualTo(new[] { false, false, true }));
    }

    [Test]
    public void AResourceStoppedByItsStopCommandStaysDown()
    {
        // The Stop and Restart commands go through Stopping; a process that dies never does.
        Assert.That(Observe(_redis, "redis-abc", "Running", "Stopping", "Finished"), Has.None.True);
    }

    [Test]
    public void ARunThatIsMeantToFinishIsNotStartedAgain()
    {
        var runnerImage = new RunnerImageResource("runner-image", ".", "webide-runner:0123456789ab");

        Assert.That(Observe(runnerImage, "runner-image-abc", "Running", "Finished"), Has.None.True);
    }

    [Test]
    public void NothingIsStartedAgainWhileThePlatformShutsDown()
    {
        _decision.ShouldRestart(Event(_redis, "redis-abc", "Running"), shuttingDown: false);

        Assert.That(_decision.ShouldRestart(Event(_redis, "redis-abc", "Finished"), shuttingDown: true), Is.False);
    }

    [Test]
    public void AProcessThatNeverStartedIsNotRetried()
    {
        // A wrong binary path or a missing file fails the same way every time.
        Assert.That(Observe(_redis, "redis-abc", "Starting", "FailedToStart"), Has.None.True);
    }

    [Test]
    public void FurtherUpdatesOfADeadResourceDoNotStartItTwice()
    {
        Assert.That(Observe(_redis, "redis-abc", "Running", "Finished", "Finished"), Is.EqualTo(new[] { false, true, false }));
    }

    [Test]
    public void EachInstanceIsTrackedByItsOwnId()
    {
        // Replicas share the resource but not their id: one stopped, the other killed.
        var identity = Marked(new ExecutableResource("identity", "identity", "."));
        _decision.ShouldRestart(Event(identity, "identity-a", "Running"), shuttingDown: false);
        _decision.ShouldRestart(Event(identity, "identity-b", "Running"), shuttingDown: false);
        _decision.ShouldRestart(Event(identity, "identity-a", "Stopping"), shuttingDown: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_decision.ShouldRestart(Event(identity, "identity-b", "Finished"), shuttingDown: false), Is.True);
            Assert.That(_decision.ShouldRestart(Event(identity, "identity-a", "Finished"), shuttingDown: false), Is.False);
        }
    }

    [Test]
    public void AResourceStartedAgainIsStartedAgainWhenItDiesAgain()
    {
        Assert.That(Observe(_redis, "redis-abc", "Running", "Finished", "Starting", "Running", "Finished"),
            Is.EqualTo(new[] { false, true, false, false, true }));
    }

    private List<bool> Observe(IResource resource, string id, params string[] states) =>
        states.Select(state => _decision.ShouldRestart(Event(resource, id, state), shuttingDown: false)).ToList();

    private static T Marked<T>(T resource)
        where T : IResource
    {
        resource.Annotations.Add(new RestartOnExitAnnotation());
        return resource;
    }

    private static ResourceEvent Event(IResource resource, string id, string state) =>
        new(resource, id, new CustomResourceSnapshot
        {
            ResourceType = "Executable",
            Properties = ImmutableArray<ResourcePropertySnapshot>.Empty,
            State = new ResourceStateSnapshot(state, null),
        });
}
