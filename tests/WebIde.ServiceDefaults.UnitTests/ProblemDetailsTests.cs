using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WebIde.ServiceDefaults.UnitTests;

public sealed class ProblemDetailsTests
{
    private const string Secret = "connection string Password=hunter2";

    [Test]
    public async Task AnUnknownPathAnswersAProblemNamingTheServiceAndTrace()
    {
        await using var host = await DefaultsHost.StartAsync();

        using var response = await host.Client.GetAsync(new Uri("/api/no-such-thing", UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(404));
            Assert.That(problem.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo(DefaultsHost.ServiceName));
            Assert.That(problem.GetProperty("traceId").GetString(), Is.Not.Empty);
            Assert.That(problem.GetProperty("instance").GetString(), Is.EqualTo("/api/no-such-thing"));
        }
    }

    [Test]
    public async Task AnEndpointThatThrowsAnswersA500ProblemWithoutTheExceptionInProduction()
    {
        await using var host = await DefaultsHost.StartAsync(mapEndpoints: app =>
            app.MapGet("/boom", string () => throw new InvalidOperationException(Secret)));

        using var response = await host.Client.GetAsync(new Uri("/boom", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(body).RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(500));
            Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo(DefaultsHost.ServiceName));
            Assert.That(problem.GetProperty("traceId").GetString(), Is.Not.Empty);
            Assert.That(body, Does.Not.Contain("hunter2").And.Not.Contain(nameof(InvalidOperationException)));
        }
    }

    [Test]
    public async Task AProblemAnEndpointReturnsCarriesTheServiceToo()
    {
        await using var host = await DefaultsHost.StartAsync(mapEndpoints: app =>
            app.MapGet("/conflict", () => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Name taken")));

        using var response = await host.Client.GetAsync(new Uri("/conflict", UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Name taken"));
            Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo(DefaultsHost.ServiceName));
        }
    }
}
