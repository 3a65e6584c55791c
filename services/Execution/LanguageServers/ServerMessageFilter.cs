using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebIde.Execution.LanguageServers;

/// <summary>
/// What of a language server's messages reaches the client (docs/api.md §6): replies and notifications,
/// with every mention of the project root turned into <c>file:///workspace</c>, and locations outside the
/// workspace (the toolchain's own files, which the client cannot open) left out of answers. The server's
/// requests to the client (configuration, progress tokens, registrations) are answered here: the browser
/// never has to, and cannot answer them falsely. One instance per socket.
/// </summary>
public sealed class ServerMessageFilter(CompletionItemStore completionItems)
{
    private static readonly HashSet<string> LocationMethods =
    [
        "textDocument/definition", "textDocument/declaration", "textDocument/typeDefinition",
        "textDocument/implementation", "textDocument/references",
    ];

    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);

    /// <summary>The items of the latest completion lists, which a client's resolve names.</summary>
    public CompletionItemStore CompletionItems => completionItems;

    /// <summary>A client request passed to the server: its answer is read knowing what was asked.</summary>
    public void Expect(string requestId, string method) => _pending[requestId] = method;

    public ServerVerdict Check(ReadOnlySpan<byte> body)
    {
        JsonObject? message;
        try
        {
            message = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message is null)
        {
            return ServerVerdict.Dropped;
        }

        var id = message["id"];
        var method = message["method"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        if (method is not null && id is not null)
        {
            return new ServerVerdict(null, Answer(id, method, message["params"]));
        }
        if (method is "telemetry/event")
        {
            return ServerVerdict.Dropped;
        }
        if (method is null && id is not null && _pending.Remove(id.ToJsonString(), out var asked) && message["result"] is { } result)
        {
            if (asked == "textDocument/completion")
            {
                KeepCompletionItems(result);
            }
            else if (LocationMethods.Contains(asked) && WorkspaceLocations(ToClient(result)) is var locations && !ReferenceEquals(locations, result))
            {
                message["result"] = locations;
            }
        }
        return new ServerVerdict(ToClient(message), null);
    }

    /// <summary>Server requests the relay answers, and how: what an editor that supports little would say.</summary>
    private static readonly Dictionary<string, Func<JsonNode?, JsonNode?>> Answers = new(StringComparer.Ordinal)
    {
        // One null per item asked: the server's defaults.
        ["workspace/configuration"] = parameters => new JsonArray([.. Enumerable.Repeat<JsonNode?>(null, (parameters?["items"] as JsonArray)?.Count ?? 0)]),
        ["workspace/workspaceFolders"] = _ => new JsonArray(new JsonObject { ["uri"] = LspUris.ServerRoot, ["name"] = "workspace" }),
        ["workspace/applyEdit"] = _ => new JsonObject { ["applied"] = false, ["failureReason"] = "the workspace's files change by editing them" },
        ["window/workDoneProgress/create"] = _ => null,
        ["window/showMessageRequest"] = _ => null,
        ["window/showDocument"] = _ => new JsonObject { ["success"] = false },
        ["client/registerCapability"] = _ => null,
        ["client/unregisterCapability"] = _ => null,
        ["workspace/semanticTokens/refresh"] = _ => null,
        ["workspace/inlayHint/refresh"] = _ => null,
        ["workspace/codeLens/refresh"] = _ => null,
        ["workspace/diagnostic/refresh"] = _ => null,
    };

    private static JsonObject Answer(JsonNode id, string method, JsonNode? parameters)
    {
        var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone() };
        if (Answers.TryGetValue(method, out var result))
        {
            answer["result"] = result(parameters);
        }
        else
        {
            answer["error"] = new JsonObject { ["code"] = LspErrorCodes.MethodNotFound, ["message"] = $"the client does not handle {method}" };
        }
        return answer;
    }

    /// <summary>Each item kept as the server made it, the client's copy carrying the number a resolve names it by.</summary>
    private void KeepCompletionItems(JsonNode result)
    {
        var items = result switch
        {
            JsonArray array => array,
            JsonObject list when list["items"] is JsonArray array => array,
            _ => null,
        };
        if (items is null)
        {
            return;
        }
        completionItems.BeginList();
        foreach (var item in items.OfType<JsonObject>())
        {
            var number = completionItems.Keep(item);
            item["data"] = new JsonObject { [CompletionItemStore.RelayKey] = number };
        }
    }

    /// <summary>Only the locations a client can open: a file of the workspace.</summary>
    private static JsonNode? WorkspaceLocations(JsonNode? result) => result switch
    {
        JsonArray array => new JsonArray([.. array.Where(IsInWorkspace).Select(location => location!.DeepClone())]),
        JsonObject location => IsInWorkspace(location) ? location : null,
        _ => result,
    };

    private static bool IsInWorkspace(JsonNode? location) =>
        (location?["targetUri"] ?? location?["uri"]) is JsonValue uri && uri.GetValueKind() == JsonValueKind.String
        && uri.GetValue<string>().StartsWith(LspUris.ClientRoot + "/", StringComparison.Ordinal);

    /// <summary>The node with every string's mentions of the project root in the client's form (changed in place).</summary>
    private static JsonNode? ToClient(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (Rewritten(child) is { } text)
                    {
                        obj[name] = text;
                    }
                    else
                    {
                        ToClient(child);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Rewritten(array[i]) is { } text)
                    {
                        array[i] = text;
                    }
                    else
                    {
                        ToClient(array[i]);
                    }
                }
                break;
        }
        return node;
    }

    private static string? Rewritten(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }
        var text = value.GetValue<string>();
        var rewritten = LspUris.ToClient(text);
        return ReferenceEquals(text, rewritten) ? null : rewritten;
    }
}
