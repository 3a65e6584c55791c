using WebIde.Contracts.Execution.V1;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Execution;

/// <summary>Deleting a workspace stops the programs running from it, warm-pool sandboxes included.</summary>
public sealed class WorkspaceDeletionRunTests
{
    [Test]
    public async Task ARunningProgramIsKilledWhenItsWorkspaceIsDeleted()
    {
        using var workspace = await ExecWorkspace.CreateAsync("deleted-run");
        await workspace.WriteAsync("forever.py", "import time\nprint('running', flush=True)\ntime.sleep(50)\nprint('survived')\n");
        using var grpc = new ExecGrpc();
        var request = new RunRequest { WorkspaceId = workspace.Id, Entry = "forever.py", Limits = new RunLimits { TimeoutMs = 60_000 } };
        using var call = grpc.Client.Run(request, ExecGrpc.As(workspace.AccessToken));

        var stdout = "";
        Exited? exited = null;
        var deleteSent = false;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            var runEvent = call.ResponseStream.Current;
            if (runEvent.EventCase == RunEvent.EventOneofCase.Stdout)
            {
                stdout += runEvent.Stdout.ToStringUtf8();
                if (stdout.Contains("running", StringComparison.Ordinal) && !deleteSent)
                {
                    deleteSent = true;
                    using var deleted = await workspace.Files.Client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{workspace.Id}", workspace.AccessToken));
                    deleted.EnsureSuccessStatusCode();
                }
            }
            exited = runEvent.Exited ?? exited;
        }

        // Killed, and before its own 50 s were up: how long the kill took on a busy machine is
        // not what this shows.
        Assert.That(exited, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(exited!.Status, Is.EqualTo(RunStatus.Killed));
            Assert.That(stdout, Does.Not.Contain("survived"), "the program stopped before its own end");
        });
    }
}
