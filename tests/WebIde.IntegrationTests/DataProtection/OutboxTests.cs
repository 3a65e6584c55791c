using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using WebIde.IntegrationTests.Collaboration.Protocol;
using WebIde.IntegrationTests.Files;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.DataProtection;

/// <summary>
/// Identity's events with RabbitMQ down (issue 16, point 5): a removal and a deletion are
/// answered at once, the removed member's socket is closed by the membership re-check while the
/// broker is still down, and the deletion's event, kept in identity's outbox, reaches the
/// filesystem once the broker is back. The broker is always started again, and awaited healthy,
/// before a test ends: every service needs it.
/// </summary>
[NonParallelizable]
public sealed class OutboxTests
{
    private const string Broker = "rabbitmq";
    private const string Path = "shared.txt";

    /// <summary>How long a request may take to be answered: far less than any wait on the broker (MassTransit retries for minutes).</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Test]
    public async Task RemovingAMemberWhileRabbitMqIsDownIsAnsweredAndClosesTheirSocket()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "x");
        var editor = await workspace.Files.AddMemberAsync("editor");
        var (socket, _) = await workspace.JoinAsync(Path, editor);
        await using var _s = socket;

        await WhileBrokerIsDownAsync(async () =>
        {
            var username = CollabWorkspace.UsernameOf(editor);
            using var answer = new CancellationTokenSource(Prompt);
            using var removed = await workspace.Files.Client.SendAsync(
                Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{workspace.Files.Id}/members/{username}", workspace.Files.AccessToken), answer.Token);
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await removed.Content.ReadAsStringAsync());

            // No event can arrive: the watcher's re-check closes it (one interval, 0.5 s, plus a round trip).
            var (status, reason) = await socket.WaitForCloseAsync(TimeSpan.FromSeconds(3));
            Assert.That((int?)status, Is.EqualTo(4003), reason);
        });
    }

    [Test]
    public async Task DeletingAWorkspaceWhileRabbitMqIsDownIsAnsweredAndItsFilesGoOnceItIsBack()
    {
        using var doomed = await FileWorkspace.CreateAsync("outbox");
        using (var written = await doomed.PutTextAsync("src/a.txt", "a"))
        {
            Assert.That(written.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }
        Assert.That((await WorkspaceDeletionTests.RowsAsync(doomed.Id)).Values.Sum(), Is.GreaterThan(0));

        await WhileBrokerIsDownAsync(async () =>
        {
            using var answer = new CancellationTokenSource(Prompt);
            using var deleted = await doomed.Client.SendAsync(
                Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{doomed.Id}", doomed.AccessToken), answer.Token);
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await deleted.Content.ReadAsStringAsync());
        });

        // The broker is back: the event waited in identity's outbox and the filesystem's consumer acts on it.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while ((await WorkspaceDeletionTests.RowsAsync(doomed.Id)).Values.Sum() > 0)
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>Stops the broker, runs <paramref name="whileDown"/>, and starts it again whatever happened, waiting until it is healthy.</summary>
    private static async Task WhileBrokerIsDownAsync(Func<Task> whileDown)
    {
        var commands = Platform.App.Services.GetRequiredService<ResourceCommandService>();
        using (var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            var stopped = await commands.ExecuteCommandAsync(Broker, KnownResourceCommands.StopCommand, stopping.Token);
            Assert.That(stopped.Success, Is.True, stopped.Message);
            await ProcessTable.WaitForAsync(Broker, "the broker stopped",
                snapshot => snapshot.State?.Text != KnownResourceStates.Running && snapshot.State?.Text != KnownResourceStates.Starting, stopping.Token);
        }
        try
        {
            await whileDown();
        }
        finally
        {
            using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var started = await commands.ExecuteCommandAsync(Broker, KnownResourceCommands.StartCommand, starting.Token);
            Assert.That(started.Success, Is.True, started.Message);
            await ProcessTable.WaitForAsync(Broker, "the broker running and healthy",
                snapshot => snapshot.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
                starting.Token);
        }
    }
}
