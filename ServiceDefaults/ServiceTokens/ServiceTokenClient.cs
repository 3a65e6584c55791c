using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace WebIde.ServiceDefaults.ServiceTokens;

/// <summary>
/// Gets this service's own access token from identity (client credentials) and reuses it
/// until shortly before it expires, so service-to-service calls cost no extra round trip.
/// </summary>
public sealed class ServiceTokenClient(IHttpClientFactory httpClients, IOptions<ServiceClientCredentials> credentials, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "identity-token";

    /// <summary>A token this close to expiry is replaced, so it cannot expire in flight.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _renewing = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? _current;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_current is { } valid && valid.ExpiresAt - RenewBefore > time.GetUtcNow())
        {
            return valid.Token;
        }

        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } renewed && renewed.ExpiresAt - RenewBefore > time.GetUtcNow())
            {
                return renewed.Token;
            }

            using var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = credentials.Value.Id,
                ["client_secret"] = credentials.Value.Secret,
            }), cancellationToken);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                ?? throw new InvalidOperationException("identity answered no token");
            _current = (answer.AccessToken, time.GetUtcNow() + TimeSpan.FromSeconds(answer.ExpiresIn));
            return answer.AccessToken;
        }
        finally
        {
            _renewing.Release();
        }
    }

    public void Dispose() => _renewing.Dispose();

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
