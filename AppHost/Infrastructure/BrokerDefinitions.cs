using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// The local RabbitMQ's users, imported from a definitions file each time it boots: the
/// operator's and one per service, each with its own password (as a hash) and full rights on
/// the one virtual host. With definitions to import, a new node creates no <c>guest</c>.
/// </summary>
public static class BrokerDefinitions
{
    public const string VirtualHost = "/";

    public static string Json(IEnumerable<(string User, string Password)> users)
    {
        var list = users.ToList();
        var definitions = new JsonObject
        {
            ["users"] = new JsonArray([.. list.Select(user => (JsonNode)new JsonObject
            {
                ["name"] = user.User,
                ["password_hash"] = RabbitMqPasswordHash.Compute(user.Password),
                ["hashing_algorithm"] = RabbitMqPasswordHash.Algorithm,
                ["tags"] = new JsonArray(),
            })]),
            ["vhosts"] = new JsonArray(new JsonObject { ["name"] = VirtualHost }),
            ["permissions"] = new JsonArray([.. list.Select(user => (JsonNode)new JsonObject
            {
                ["user"] = user.User,
                ["vhost"] = VirtualHost,
                ["configure"] = ".*",
                ["write"] = ".*",
                ["read"] = ".*",
            })]),
        };
        return definitions.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
