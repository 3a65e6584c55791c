using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebIde.Execution.LanguageServers;

/// <summary>
/// What of a client's messages reaches its language server (docs/api.md §6): the methods an editor needs,
/// with every URI turned into the server's and checked to be inside the workspace; everything else is
/// answered here and dropped. <c>initialize</c> is rewritten whole: the root is always the workspace and
/// nothing of the client's choosing (a process id, initialization options that may name a program to
/// start) reaches the server: its initialization options are the language definition's. One instance per socket.
/// </summary>
public sealed class ClientMessageGate(CompletionItemStore completionItems, JsonObject? initializationOptions = null)
{
    private static readonly HashSet<string> Requests =
    [
        "initialize", "shutdown",
        "textDocument/completion", "completionItem/resolve", "textDocument/hover", "textDocument/signatureHelp",
        "textDocument/definition", "textDocument/declaration", "textDocument/typeDefinition", "textDocument/implementation",
        "textDocument/references", "textDocument/documentHighlight", "textDocument/documentSymbol",
        "textDocument/foldingRange", "textDocument/formatting", "textDocument/rangeFormatting",
        "textDocument/prepareRename", "textDocument/rename", "textDocument/semanticTokens/full", "textDocument/inlayHint",
    ];

    private static readonly HashSet<string> Notifications =
    [
        "initialized", "exit", "$/cancelRequest", "$/setTrace",
        "textDocument/didOpen", "textDocument/didChange", "textDocument/didClose", "textDocument/didSave", "textDocument/willSave",
    ];

    /// <summary>Properties that hold a URI whatever it looks like: one that is not the workspace's is refused, not passed on as text.</summary>
    private static readonly HashSet<string> UriProperties = ["uri", "targetUri", "rootUri", "newUri", "oldUri", "scopeUri"];

    /// <summary>Properties that hold a document's text, which may say anything: never read as URIs.</summary>
    private static readonly HashSet<string> TextProperties = ["text", "newText"];

    private bool _initialized;

    public ClientVerdict Check(ReadOnlySpan<byte> text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return ClientVerdict.Refused(null, LspErrorCodes.ParseError, "not JSON: one JSON-RPC message per text frame");
        }
        if (node is not JsonObject message || message["jsonrpc"]?.GetValueKind() != JsonValueKind.String || (string?)message["jsonrpc"] != "2.0")
        {
            return ClientVerdict.Refused(null, LspErrorCodes.InvalidRequest, "a JSON-RPC 2.0 message is an object with \"jsonrpc\": \"2.0\" (no batches)");
        }

        var id = message["id"];
        if (id is not null && id.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return ClientVerdict.Refused(null, LspErrorCodes.InvalidRequest, "an id is a string or a number");
        }
        if (message["method"] is not JsonValue methodValue || methodValue.GetValueKind() != JsonValueKind.String)
        {
            // Answers to the server's requests are given by the relay itself: the client has none to give.
            return ClientVerdict.Refused(id, LspErrorCodes.InvalidRequest, "only requests and notifications are accepted from the client");
        }

        var method = methodValue.GetValue<string>();
        var isRequest = id is not null;
        if (!(isRequest ? Requests : Notifications).Contains(method))
        {
            return ClientVerdict.Refused(id, LspErrorCodes.MethodNotFound, $"'{Shorten(method)}' is not relayed to the language server");
        }
        if (method == "initialize")
        {
            if (_initialized)
            {
                return ClientVerdict.Refused(id, LspErrorCodes.InvalidRequest, "initialize was sent already");
            }
            _initialized = true;
            message["params"] = InitializeParams(message["params"] as JsonObject);
            if (initializationOptions is not null)
            {
                message["params"]!["initializationOptions"] = initializationOptions.DeepClone();
            }
            return new ClientVerdict(message, null, id!.ToJsonString(), method);
        }

        if (method == "completionItem/resolve")
        {
            // The item the server made, whatever the client sends back of it.
            if ((message["params"] as JsonObject)?["data"]?[CompletionItemStore.RelayKey] is not JsonValue number
                || number.GetValueKind() != JsonValueKind.Number || !number.TryGetValue<long>(out var itemNumber)
                || completionItems.Find(itemNumber) is not { } item)
            {
                return ClientVerdict.Refused(id, LspErrorCodes.InvalidParams, "not an item of a recent completion list");
            }
            message["params"] = item;
            return new ClientVerdict(message, null, id?.ToJsonString(), id is null ? null : method);
        }
        if (message["params"] is { } parameters && RewriteUris(parameters, propertyName: null) is { } problem)
        {
            return ClientVerdict.Refused(id, LspErrorCodes.InvalidParams, problem);
        }
        return new ClientVerdict(message, null, isRequest ? id!.ToJsonString() : null, isRequest ? method : null);
    }

    /// <summary>The client's capabilities and identity; the root and everything else the relay's.</summary>
    private static JsonObject InitializeParams(JsonObject? client)
    {
        var parameters = new JsonObject
        {
            ["processId"] = null,
            ["rootPath"] = Layout.SandboxLayout.Root,
            ["rootUri"] = LspUris.ServerRoot,
            ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = LspUris.ServerRoot, ["name"] = "workspace" }),
            ["capabilities"] = client?["capabilities"] is JsonObject capabilities ? capabilities.DeepClone() : new JsonObject(),
        };
        if (client?["clientInfo"] is JsonObject info)
        {
            parameters["clientInfo"] = info.DeepClone();
        }
        if (client?["locale"] is JsonValue locale && locale.GetValueKind() == JsonValueKind.String)
        {
            parameters["locale"] = locale.DeepClone();
        }
        return parameters;
    }

    /// <summary>Turns each URI in the params into the server's; the first that is not the workspace's stops it.</summary>
    private static string? RewriteUris(JsonNode node, string? propertyName)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is null || TextProperties.Contains(name))
                    {
                        continue;
                    }
                    if (child is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        if (Rewritten(value.GetValue<string>(), UriProperties.Contains(name), out var problem) is { } rewritten)
                        {
                            obj[name] = rewritten;
                        }
                        else if (problem is not null)
                        {
                            return problem;
                        }
                    }
                    else if (RewriteUris(child, name) is { } problem)
                    {
                        return problem;
                    }
                }
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        if (Rewritten(value.GetValue<string>(), isUri: false, out var problem) is { } rewritten)
                        {
                            array[i] = rewritten;
                        }
                        else if (problem is not null)
                        {
                            return problem;
                        }
                    }
                    else if (array[i] is { } child && RewriteUris(child, propertyName) is { } problem)
                    {
                        return problem;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>The server's form of a URI-holding string; null with no problem for a string that holds none.</summary>
    private static string? Rewritten(string text, bool isUri, out string? problem)
    {
        problem = null;
        if (!isUri && !text.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return LspUris.ToServer(text, out problem);
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
