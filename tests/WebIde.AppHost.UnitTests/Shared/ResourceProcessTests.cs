using System.Collections.Immutable;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebIde.Tests.Shared.Aspire;

namespace WebIde.AppHost.UnitTests.Shared;

/// <summary>
/// How the integration tests that restart or kill a service (tests/Shared/Aspire) tell its new
/// process from the old one, on the snapshots the orchestrator reported in a failed CI run.
/// </summary>
public sealed class ResourceProcessTests
{
    // The test read its clock just before asking for the restart; the new process started
    // within the same second, and the orchestrator reports start times in whole seconds.
    private static readonly ProcessMark BeforeRestart = new("identity", Pid: 4100, TakenAtUtc: At(4, 32, 29, 300));

    [Test]
    public void AProcessStartedInTheSameSecondAsTheRestartIsTheNewOne()
    {
        var restarted = Snapshot(pid: 4242, started: At(4, 32, 29), KnownResourceStates.Running, HealthStatus.Healthy);

        Assert.That(ResourceProcess.IsNewAndServingSince(restarted, BeforeRestart), Is.True);
    }

    [Test]
    public void TheOldProcessIsNotTheNewOneWhateverItsState()
    {
        var old = Snapshot(pid: 4100, started: At(4, 30, 2), KnownResourceStates.Running, HealthStatus.Healthy);

        Assert.Multiple(() =>
        {
            Assert.That(ResourceProcess.IsNewSince(old, BeforeRestart), Is.False);
            Assert.That(ResourceProcess.IsNewAndServingSince(old, BeforeRestart), Is.False);
        });
    }

    [Test]
    public void TheStoppedStateInBetweenIsNotANewProcess()
    {
        var stopped = Snapshot(pid: null, started: null, KnownResourceStates.Exited, health: null);

        Assert.Multiple(() =>
        {
            Assert.That(ResourceProcess.IsNewSince(stopped, BeforeRestart), Is.False);
            Assert.That(ResourceProcess.HasEnded(stopped), Is.True);
        });
    }

    [Test]
    public void ANewProcessServesOnlyOnceRunningAndHealthy()
    {
        var starting = Snapshot(pid: 4242, started: At(4, 32, 29), KnownResourceStates.Starting, health: null);
        var unhealthy = Snapshot(pid: 4242, started: At(4, 32, 29), KnownResourceStates.Running, HealthStatus.Unhealthy);

        Assert.Multiple(() =>
        {
            Assert.That(ResourceProcess.IsNewSince(starting, BeforeRestart), Is.True);
            Assert.That(ResourceProcess.IsNewAndServingSince(starting, BeforeRestart), Is.False);
            Assert.That(ResourceProcess.IsNewAndServingSince(unhealthy, BeforeRestart), Is.False);
            Assert.That(ResourceProcess.HasEnded(starting), Is.False);
        });
    }

    private static DateTime At(int hour, int minute, int second, int millisecond = 0) =>
        new(2025, 6, 1, hour, minute, second, millisecond, DateTimeKind.Utc);

    private static CustomResourceSnapshot Snapshot(int? pid, DateTime? started, string state, HealthStatus? health) => new CustomResourceSnapshot
    {
        ResourceType = "Project",
        Properties = pid is { } value ? [new ResourcePropertySnapshot(ResourceProcess.PidProperty, value)] : ImmutableArray<ResourcePropertySnapshot>.Empty,
        StartTimeStamp = started,
        State = state,
    }.WithHealthReports(health is { } status ? [new HealthReportSnapshot("alive", status, null, null)] : []);
}
