using System.Diagnostics;
using WebIde.Tests.Shared.Aspire;

namespace WebIde.IntegrationTests.Collaboration;

/// <summary>
/// One of the two collaboration instances is killed outright (SIGKILL) while sessions edit
/// (each session's workspace on the instance the gateway hashes it to): every client it dropped resumes on the other instance
/// within 2 s of its socket closing, and no acknowledged operation is lost — clients, server
/// and file agree in the end, and every acknowledged insert is still there unless an
/// acknowledged delete removed it. The killed instance is started again afterwards.
/// </summary>
public sealed class InstanceKillTests
{
    private const int Sessions = 4;
    private const int ClientsPerSession = 8;
    private const long ResumeLimitMs = 2000;

    [Test]
    public async Task KillingOneInstanceLosesNoAcknowledgedEditAndEveryClientResumesWithinTwoSeconds()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var replicas = CollaborationReplicas.Find();
        Assert.That(replicas, Has.Count.GreaterThanOrEqualTo(2), "collaboration instances");

        string[] arguments =
        [
            "--sessions", $"{Sessions}",
            "--parallel", $"{Sessions}",
            "--clients", $"{ClientsPerSession}",
            // Long enough that the sessions edit for seconds after the kill.
            "--ops", "150",
            // Only the kill drops connections, so every drop counted is one it caused.
            "--disconnect-rate", "0",
            "--expect-server-drops",
            "--max-resume-ms", $"{ResumeLimitMs}",
            // The kill comes once every client has had a few operations acknowledged.
            "--ready-acks", $"{Sessions * ClientsPerSession * 3}",
            .. RandomSessionsTests.SeedArguments(),
        ];
        ProcessMark? killed = null;
        var victim = replicas[0];
        try
        {
            HarnessResult result;
            using (var harness = NodeHarness.Start(RandomSessionsTests.SessionsScript, arguments))
            {
                try
                {
                    await harness.Ready.WaitAsync(deadline.Token);
                }
                catch (Exception error) when (error is InvalidOperationException or OperationCanceledException)
                {
                    Assert.Fail($"The sessions never all edited ({error.Message}); the harness's last progress:\n{harness.RecentProgress}");
                }
                // The gateway keeps a workspace on one instance: the victim is the one serving the
                // most editors, so that the kill drops some whichever way the workspaces hashed.
                victim = replicas.MaxBy(CollaborationReplicas.EstablishedConnections)!;
                killed = ProcessTable.Mark(victim.ResourceId);
                var clock = Stopwatch.StartNew();
                await CollaborationReplicas.KillAsync(victim, deadline.Token);
                await TestContext.Progress.WriteLineAsync($"[collab-kill] killed {victim.ResourceId} (pid {victim.ServerPid}); gone after {clock.ElapsedMilliseconds} ms");
                result = await harness.WaitForExitAsync(deadline.Token);
            }

            var resumes = result.HasSummary ? result.ServerDropResumeMs : [];
            var report = $"[collab-kill] {result.Number("serverDrops")} of {Sessions * ClientsPerSession} clients dropped by the kill " +
                $"({result.Number("dropsWithOutstanding")} with an op outstanding); resume ms: {string.Join(", ", resumes)}; " +
                $"max {(resumes.Count > 0 ? resumes.Max() : 0)} ms; {result.Number("acked")} ops acked";
            await TestContext.Progress.WriteLineAsync(report);
            await TestContext.Out.WriteLineAsync($"{report}\n[collab-kill] summary: {result}");

            Assert.That(result.HasSummary, Is.True, result.ToString());
            Assert.Multiple(() =>
            {
                Assert.That(result.Number("failed"), Is.Zero, result.Failures);
                Assert.That(result.ExitCode, Is.Zero, "the harness's exit code");
                Assert.That(result.Number("serverDrops"), Is.Positive, "clients connected to the killed instance");
                Assert.That(resumes, Has.Count.EqualTo(result.Number("serverDrops")), "every dropped client resumed");
                Assert.That(resumes, Has.All.LessThanOrEqualTo(ResumeLimitMs), "resume times (ms) after the drop");
                // Only a client told unknown_revision (behind the server's history) may drop an op it sent.
                Assert.That(result.Number("acked") + result.Number("droppedOps"), Is.EqualTo(result.Number("opsSent")), "every operation sent was acknowledged in the end");
            });
        }
        finally
        {
            if (killed is not null)
            {
                // Later tests may expect two instances again.
                using var comeback = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                await CollaborationReplicas.BringBackAsync(victim, killed, comeback.Token);
                await TestContext.Progress.WriteLineAsync($"[collab-kill] {victim.ResourceId} is running and healthy again");
            }
        }
    }
}
