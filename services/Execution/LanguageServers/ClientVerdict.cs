using System.Text.Json.Nodes;

namespace WebIde.Execution.LanguageServers;

/// <summary>What becomes of a client's message: passed to the server as <see cref="Forward"/>, or answered with <see cref="Refusal"/> and dropped.</summary>
/// <param name="RequestMethod">For a request passed on, its method (its answer may need filtering); else null.</param>
public sealed record ClientVerdict(JsonNode? Forward, JsonObject? Refusal, string? RequestId, string? RequestMethod)
{
    public static ClientVerdict Refused(JsonNode? id, int code, string message) => new(null, new JsonObject
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id?.DeepClone(),
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
    }, null, null);
}
