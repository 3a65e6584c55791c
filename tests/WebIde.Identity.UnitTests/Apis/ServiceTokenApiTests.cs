using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace WebIde.Identity.UnitTests.Apis;

/// <summary>
/// <c>/connect/token</c>: each service client gets the scopes its calls need and no more
/// (docs/platform.md, "Service identity"), or the subset it asks for.
/// </summary>
internal sealed class ServiceTokenApiTests : IdentityHostFixture
{
    [TestCase("filesystem", "members:read")]
    [TestCase("collaboration", "files:read files:write members:read")]
    [TestCase("execution", "files:read members:read")]
    public async Task EachClientGetsExactlyItsScopes(string client, string scopes)
    {
        var answer = await RequestAsync(client);

        Assert.That(answer.Status, Is.EqualTo(StatusCodes.Status200OK), answer.Body);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ScopeClaim(answer), Is.EqualTo(scopes));
            Assert.That(answer.Json.GetProperty("scope").GetString(), Is.EqualTo(scopes));
        }
    }

    [Test]
    public async Task AClientWithoutGrantsGetsATokenWithoutScopes()
    {
        var answer = await RequestAsync("newcomer");

        Assert.That(answer.Status, Is.EqualTo(StatusCodes.Status200OK), answer.Body);
        Assert.That(new JsonWebToken(AccessToken(answer)).TryGetClaim("scope", out _), Is.False);
    }

    [TestCase("files:read")]
    [TestCase("files:write  members:read")]
    public async Task AClientMayAskForASubsetOfItsScopes(string requested)
    {
        var answer = await RequestAsync("collaboration", requested);

        Assert.That(answer.Status, Is.EqualTo(StatusCodes.Status200OK), answer.Body);
        Assert.That(ScopeClaim(answer), Is.EqualTo(string.Join(' ', requested.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
    }

    [TestCase("execution", "files:write", "files:write")]
    [TestCase("execution", "files:read code:run", "code:run")]
    [TestCase("filesystem", "files:read", "files:read")]
    [TestCase("collaboration", "files:read admin", "admin")]
    [TestCase("newcomer", "members:read", "members:read")]
    public async Task AScopeUnknownOrNotGrantedIsInvalidScope(string client, string requested, string refused)
    {
        var answer = await RequestAsync(client, requested);

        Assert.That(answer.Status, Is.EqualTo(StatusCodes.Status400BadRequest), answer.Body);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Json.GetProperty("error").GetString(), Is.EqualTo("invalid_scope"));
            Assert.That(answer.Json.GetProperty("detail").GetString(), Does.Contain($"'{refused}'"));
            Assert.That(answer.Json.TryGetProperty("access_token", out _), Is.False);
        }
    }

    [Test]
    public async Task AWrongSecretIsInvalidClientWhateverScopeIsAsked()
    {
        var answer = await Identity.RequestServiceTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "collaboration",
            ["client_secret"] = "guess",
            ["scope"] = "files:write",
        });

        Assert.That(answer.Status, Is.EqualTo(StatusCodes.Status401Unauthorized), answer.Body);
        Assert.That(answer.Json.GetProperty("error").GetString(), Is.EqualTo("invalid_client"));
    }

    private Task<Answer> RequestAsync(string client, string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client,
            ["client_secret"] = IdentityHost.ClientSecret(client),
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        return Identity.RequestServiceTokenAsync(form);
    }

    private static string AccessToken(Answer answer) => answer.Json.GetProperty("access_token").GetString()!;

    private static string ScopeClaim(Answer answer) => new JsonWebToken(AccessToken(answer)).GetClaim("scope").Value;
}
