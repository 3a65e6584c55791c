using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using WebIde.Tests.Shared.Aspire;

namespace WebIde.IntegrationTests.Identity;

/// <summary>A restart of identity keeps users, sessions and signing keys: nobody is logged out.</summary>
public sealed class RestartTests
{
    [Test]
    public async Task UsersSessionsAndKeysSurviveARestartOfIdentity()
    {
        using var client = Platform.CreateGatewayClient();
        var (username, tokens) = await Accounts.SignedInUserAsync(client, "restart");
        var keyId = Jwt.Decode(tokens.Access()).Header.GetProperty("kid").GetString();

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var commands = Platform.App.Services.GetRequiredService<ResourceCommandService>();
        var before = ProcessTable.Mark("identity");
        var restarted = await commands.ExecuteCommandAsync("identity", KnownResourceCommands.RestartCommand, deadline.Token);
        Assert.That(restarted.Success, Is.True, restarted.Message);
        // The new process, healthy: the old one's last healthy snapshot must not count, nor the
        // stopped state in between. Told apart by pid, not start time (see ResourceProcess).
        await ProcessTable.WaitForAsync("identity", $"a new process after {before}, running and healthy",
            snapshot => ResourceProcess.IsNewAndServingSince(snapshot, before), deadline.Token);

        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", tokens.Access()));
        using var refreshed = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.Refresh() });
        using var login = await Accounts.LoginAsync(client, username);
        var newTokens = await login.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(() =>
        {
            Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the access token signed before the restart");
            Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the session started before the restart");
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the user registered before the restart");
            Assert.That(Jwt.Decode(newTokens.Access()).Header.GetProperty("kid").GetString(), Is.EqualTo(keyId), "the signing key");
        });
    }
}
