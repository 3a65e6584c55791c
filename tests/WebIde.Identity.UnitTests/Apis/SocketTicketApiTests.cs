using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Identity.UnitTests.Apis;

/// <summary>docs/api.md §7: <c>POST /api/auth/ticket</c> issues a single-use ticket for the caller's own access token.</summary>
internal sealed class SocketTicketApiTests : IdentityHostFixture
{
    [Test]
    public async Task ATicketStandsForTheCallersAccessTokenOnceForThirtySeconds()
    {
        var accessToken = await AccessTokenAsync();

        var answer = await Identity.SendAsync("POST", "/api/auth/ticket", headers: Bearer(accessToken));

        Assert.That(answer.Status, Is.EqualTo(StatusCodes.Status200OK), answer.Body);
        var ticket = answer.Json.GetProperty("ticket").GetString()!;
        var tickets = Identity.Services.GetRequiredService<SocketTickets>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Json.GetProperty("expiresIn").GetInt32(), Is.EqualTo(30));
            Assert.That(ticket, Has.Length.GreaterThanOrEqualTo(43), "256 random bits");
            Assert.That(ticket, Does.Not.Contain(accessToken[..20]));
            Assert.That(await tickets.RedeemAsync(ticket), Is.EqualTo(accessToken));
            Assert.That(await tickets.RedeemAsync(ticket), Is.Null);
        }
    }

    [Test]
    public async Task EveryTicketIsNew()
    {
        var accessToken = await AccessTokenAsync();

        var first = await Identity.SendAsync("POST", "/api/auth/ticket", headers: Bearer(accessToken));
        var second = await Identity.SendAsync("POST", "/api/auth/ticket", headers: Bearer(accessToken));

        Assert.That(first.Json.GetProperty("ticket").GetString(), Is.Not.EqualTo(second.Json.GetProperty("ticket").GetString()));
    }

    [Test]
    public async Task WithoutATokenThereIsNoTicket()
    {
        var answer = await Identity.SendAsync("POST", "/api/auth/ticket");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Status, Is.EqualTo(StatusCodes.Status401Unauthorized));
            Assert.That(answer.Headers.ContentType.ToString(), Does.StartWith("application/problem+json"));
        }
    }

    [Test]
    public async Task ATicketIsNoBearerToken()
    {
        var accessToken = await AccessTokenAsync();
        var ticket = (await Identity.SendAsync("POST", "/api/auth/ticket", headers: Bearer(accessToken))).Json.GetProperty("ticket").GetString()!;

        var me = await Identity.SendAsync("GET", "/api/auth/me", headers: Bearer(ticket));
        var another = await Identity.SendAsync("POST", "/api/auth/ticket", headers: Bearer(ticket));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(me.Status, Is.EqualTo(StatusCodes.Status401Unauthorized));
            Assert.That(another.Status, Is.EqualTo(StatusCodes.Status401Unauthorized));
        }
    }

    private async Task<string> AccessTokenAsync()
    {
        var username = await Identity.NewUserAsync();
        var login = await Identity.SendAsync("POST", "/api/auth/login", new { username, password = IdentityHost.Password });
        return login.Json.GetProperty("accessToken").GetString()!;
    }

    private static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = $"Bearer {token}" };
}
