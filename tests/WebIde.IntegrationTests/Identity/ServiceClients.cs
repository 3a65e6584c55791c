using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace WebIde.IntegrationTests.Identity;

/// <summary>Client credentials as the AppHost hands them to services, and identity's token endpoint.</summary>
public static class ServiceClients
{
    public static async Task<string> ClientSecretAsync(string service)
    {
        var model = Platform.App.Services.GetRequiredService<DistributedApplicationModel>();
        var parameter = model.Resources.OfType<ParameterResource>().Single(resource => resource.Name == $"{service}-client-secret");
        return await parameter.GetValueAsync(CancellationToken.None) ?? throw new InvalidOperationException("The AppHost gave the service no secret.");
    }

    /// <param name="scope">The scopes asked for (space-separated); without it, all the client is granted.</param>
    public static async Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret, string? scope = null)
    {
        using var identity = new HttpClient { BaseAddress = Platform.App.GetEndpoint("identity", "http") };
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        return await identity.PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }

    /// <summary>A token for <paramref name="service"/>, with its own credentials (and the scopes asked for, if any).</summary>
    public static async Task<string> TokenAsync(string service, string? scope = null)
    {
        using var response = await RequestTokenAsync(service, await ClientSecretAsync(service), scope);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}
