using System.Text.Json.Nodes;

namespace WebIde.Execution.LanguageServers;

/// <summary>What becomes of a server's message: relayed to the client, answered to the server by the relay, or neither (dropped).</summary>
public sealed record ServerVerdict(JsonNode? ToClient, JsonNode? ToServer)
{
    public static readonly ServerVerdict Dropped = new(null, null);
}
