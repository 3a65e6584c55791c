using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebIde.ServiceDefaults.Authentication;
using WebIde.Tests.Shared;

namespace WebIde.ServiceDefaults.UnitTests.Authentication;

/// <summary>The one rule each callee applies to service tokens: the call's scope, or nothing.</summary>
public sealed class ServiceScopeTests
{
    private const string Collaboration = "service:collaboration";
    private static readonly string Alice = Guid.NewGuid().ToString();

    private static ClaimsPrincipal Caller(string subject, string? scope = null)
    {
        var identity = new ClaimsIdentity([new Claim("sub", subject)], "Bearer");
        if (scope is not null)
        {
            identity.AddClaim(new Claim(ServiceScopes.ClaimType, scope));
        }
        return new ClaimsPrincipal(identity);
    }

    [TestCase("files:write")]
    [TestCase("files:read files:write members:read")]
    public void AServiceTokenCarryingTheScopeHasIt(string scope)
    {
        var caller = Caller(Collaboration, scope);

        Assert.That(caller.HasServiceScope(ServiceScopes.FilesWrite), Is.True);
        Assert.DoesNotThrow(() => caller.DemandServiceScope(ServiceScopes.FilesWrite));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("files:read members:read")]
    [TestCase("files:writer")]
    [TestCase("FILES:WRITE")]
    public void AServiceTokenLackingTheScopeIsPermissionDeniedNamingIt(string? scope)
    {
        var caller = Caller(Collaboration, scope);

        var refusal = Assert.Throws<RpcException>(() => caller.DemandServiceScope(ServiceScopes.FilesWrite));

        Assert.That(caller.HasServiceScope(ServiceScopes.FilesWrite), Is.False);
        Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(refusal.Status.Detail, Does.Contain("'files:write'"));
    }

    [Test]
    public void AUsersTokenNeverHasAServiceScopeEvenWithAScopeClaim()
    {
        // Identity never issues a user a scope; were one there, it still would not count.
        var user = Caller(Alice, "files:read files:write members:read code:run");

        Assert.That(ServiceScopes.All.Where(user.HasServiceScope), Is.Empty);
    }

    [Test]
    public void AUsersTokenGoesOnToItsMembershipChecks()
    {
        Assert.DoesNotThrow(() => Caller(Alice).DemandServiceScope(ServiceScopes.FilesWrite));
    }

    [TestCase(Collaboration, "files:read", HttpStatusCode.Forbidden)]
    [TestCase(Collaboration, null, HttpStatusCode.Forbidden)]
    [TestCase(Collaboration, "files:read code:run", HttpStatusCode.OK)]
    public async Task AnHttpEndpointRefusesAServiceTokenWithoutItsScopeAsProblemJson(string subject, string? scope, HttpStatusCode expected)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.SendAsync(Request(subject, scope));

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        if (expected == HttpStatusCode.Forbidden)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("'code:run'"));
            Assert.That(problem.GetProperty("missingScope").GetString(), Is.EqualTo("code:run"));
        }
    }

    [TestCase(null)]
    [TestCase("code:run")]
    public async Task AnHttpEndpointLetsAUserThroughToItsOwnChecks(string? scope)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.SendAsync(Request(Alice, scope));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("user"));
    }

    private static HttpRequestMessage Request(string subject, string? scope)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/run");
        request.Headers.Add(TestAuthenticationHandler.SubjectHeader, subject);
        if (scope is not null)
        {
            request.Headers.Add(TestAuthenticationHandler.ScopeHeader, scope);
        }
        return request;
    }

    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/run", (HttpContext context) => context.User.IsService() ? "service" : "user")
            .RequireAuthorization()
            .RequireServiceScope(ServiceScopes.CodeRun);
        await app.StartAsync();
        return app;
    }
}
