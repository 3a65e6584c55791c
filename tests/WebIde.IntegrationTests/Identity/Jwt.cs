using System.Text;
using System.Text.Json;

namespace WebIde.IntegrationTests.Identity;

/// <summary>Reads and forges compact JWTs the way an attacker would, with no library's help.</summary>
public static class Jwt
{
    public static (JsonElement Header, JsonElement Payload) Decode(string token)
    {
        var parts = token.Split('.');
        return (Parse(parts[0]), Parse(parts[1]));
    }

    public static string Encode(object header, object payload, string signature) =>
        $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}.{signature}";

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static JsonElement Parse(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded))).RootElement.Clone();
    }
}
