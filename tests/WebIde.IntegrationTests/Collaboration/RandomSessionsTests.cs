namespace WebIde.IntegrationTests.Collaboration;

/// <summary>
/// Two hundred randomized collaborative sessions through the gateway: eight clients of three
/// users per session editing one file at once (inserts with newlines and surrogate pairs,
/// deletes, replaces, sometimes an emptied document), dropping their connections abruptly at
/// random — also right after sending — then resuming and resending. In every session all
/// clients, the server and the file end with the same text, and every acknowledged insert is
/// in it exactly once unless an acknowledged delete removed it.
/// </summary>
/// <remarks>
/// Longer runs (thousands of sessions) use the same harness by hand; see "Testing
/// collaboration" in docs/platform.md. A failure names its seed and the command that replays
/// the failing session; <c>WEBIDE_COLLAB_SEED</c> replays a whole run.
/// </remarks>
public sealed class RandomSessionsTests
{
    internal const string SessionsScript = "web/e2e/collab/sessions.mjs";

    private const int Sessions = 200;

    [Test]
    public async Task TwoHundredRandomSessionsEndWithClientsServerAndFileInAgreement()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        string[] arguments =
        [
            "--sessions", $"{Sessions}",
            "--parallel", "10",
            "--clients", "8",
            "--ops", "12",
            .. SeedArguments(),
        ];
        using var harness = NodeHarness.Start(RandomSessionsTests.SessionsScript, arguments);
        var result = await harness.WaitForExitAsync(deadline.Token);
        await TestContext.Out.WriteLineAsync($"[collab-e2e] summary: {result}");

        Assert.That(result.HasSummary, Is.True, result.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(result.Number("failed"), Is.Zero, result.Failures);
            Assert.That(result.ExitCode, Is.Zero, "the harness's exit code");
            Assert.That(result.Number("sessions"), Is.EqualTo(Sessions), "sessions run");
            // Only a client told unknown_revision (behind the server's history) may drop an op it sent.
            Assert.That(result.Number("acked") + result.Number("droppedOps"), Is.EqualTo(result.Number("opsSent")), "every operation sent was acknowledged in the end");
            Assert.That(result.Number("serverDrops"), Is.Zero, "connections the server side closed");
        });

        // The run must have exercised what it claims to: edits by several clients at once, and
        // resumes (an op outstanding at the drop, answered as the client's own op or resent).
        Assert.Multiple(() =>
        {
            Assert.That(result.Number("remoteOps"), Is.GreaterThan(result.Number("acked")), "operations received from other clients");
            Assert.That(result.Number("resumes"), Is.GreaterThan(Sessions), "resumes after a disconnect");
            Assert.That(result.Number("resent"), Is.Positive, "outstanding operations resent after a resume");
            Assert.That(result.Number("acksAsOwnOp"), Is.Positive, "outstanding operations found applied in a resume's ops");
        });
    }

    /// <summary><c>WEBIDE_COLLAB_SEED</c> replays a run; otherwise the harness picks (and prints) one.</summary>
    internal static string[] SeedArguments() =>
        Environment.GetEnvironmentVariable("WEBIDE_COLLAB_SEED") is { Length: > 0 } seed ? ["--seed", seed] : [];
}
