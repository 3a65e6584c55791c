using System.Text.Json.Nodes;
using WebIde.IntegrationTests.Execution;

namespace WebIde.IntegrationTests.LanguageServers;

/// <summary>
/// Each language with a server, over <c>/ws/lsp</c> through the gateway as the editor uses it (docs/api.md §6):
/// completion at a member access, a hover that shows a signature, a definition in another file of the
/// workspace, and an error as <c>publishDiagnostics</c>. The servers run in the user's sandbox.
/// </summary>
[Order(12)]
public sealed class LanguageServerTests
{
    private static readonly TimeSpan ServerDeadline = TimeSpan.FromSeconds(90);

    [TestCaseSource(typeof(LanguageServerCase), nameof(LanguageServerCase.All))]
    public async Task TheServerCompletesHoversFollowsAndReportsErrors(LanguageServerCase language)
    {
        var workspace = await ExecWorkspace.CreateAsync($"lsp-{language.Language}");
        foreach (var (path, text) in new[] { language.Main, language.Helper, language.Broken })
        {
            await workspace.WriteAsync(path, text);
        }
        await using var socket = await LspSocket.OpenAsync(workspace.Id, language.Language, workspace.AccessToken,
            new Dictionary<string, string> { [language.Main.Path] = language.Main.Text, [language.Broken.Path] = language.Broken.Text });

        var (line, character, expected) = language.Completion;
        var labels = await socket.CompleteAsync(language.Main.Path, line, character, found => found.Contains(expected), ServerDeadline);
        var hover = await socket.RequestAsync("textDocument/hover", LspSocket.Position(language.Main.Path, language.Call.Line, language.Call.Character), ServerDeadline);
        var definition = await socket.RequestAsync("textDocument/definition", LspSocket.Position(language.Main.Path, language.Call.Line, language.Call.Character), ServerDeadline);
        var diagnostics = await socket.NotificationAsync("textDocument/publishDiagnostics",
            message => (string?)message["params"]?["uri"] == LspSocket.DocumentUri(language.Broken.Path) && message["params"]?["diagnostics"] is JsonArray { Count: > 0 },
            ServerDeadline);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(labels, Does.Contain(expected), $"completion at {line}:{character} of {language.Main.Path}");
            Assert.That(hover["result"]?["contents"]?.ToJsonString(), Does.Contain(language.Signature), hover.ToJsonString());
            Assert.That(Targets(definition), Does.Contain(LspSocket.DocumentUri(language.Helper.Path)), definition.ToJsonString());
            Assert.That(diagnostics, Is.Not.Null, $"no diagnostics for {language.Broken.Path}; received: {string.Join("\n", socket.Notifications.Select(n => n.ToJsonString()))}");
            Assert.That(definition.ToJsonString() + hover.ToJsonString() + diagnostics?.ToJsonString(), Does.Not.Contain("/sandbox"), "a path of the server's own");
        }
    }

    /// <summary>The files a definition answer points at: Locations or LocationLinks, one or several.</summary>
    public static IReadOnlyList<string> Targets(JsonObject answer) => answer["result"] switch
    {
        JsonArray locations => [.. locations.Select(location => (string?)(location?["targetUri"] ?? location?["uri"]) ?? "")],
        JsonObject location => [(string?)(location["targetUri"] ?? location["uri"]) ?? ""],
        _ => [],
    };
}
