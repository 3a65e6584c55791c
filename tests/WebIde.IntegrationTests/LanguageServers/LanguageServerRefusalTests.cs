using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using WebIde.IntegrationTests.Execution;

namespace WebIde.IntegrationTests.LanguageServers;

/// <summary>
/// docs/api.md §6, "Refusals": frames the relay must not pass to the language server, against one
/// Python server: each is answered with the contract's JSON-RPC error, and the server is untouched
/// (it still answers, the socket stays open, the workspace's file is as it was).
/// </summary>
[Order(12)]
[Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
public sealed class LanguageServerRefusalTests
{
    private static readonly TimeSpan ServerDeadline = TimeSpan.FromSeconds(90);
    private const string Main = "import os\nos.\n";

    private ExecWorkspace _workspace = null!;
    private LspSocket _socket = null!;

    [OneTimeSetUp]
    public async Task OpenAsync()
    {
        _workspace = await ExecWorkspace.CreateAsync("lsp-refusals");
        await _workspace.WriteAsync("main.py", Main);
        _socket = await LspSocket.OpenAsync(_workspace.Id, "python", _workspace.AccessToken, new Dictionary<string, string> { ["main.py"] = Main });
        // Serving: the server has read the project.
        Assert.That(await _socket.CompleteAsync("main.py", 1, 3, found => found.Contains("path"), ServerDeadline), Does.Contain("path"));
    }

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        await _socket.DisposeAsync();
        _workspace.Dispose();
    }

    private static string HoverOn(int id, string uri) => new JsonObject
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id,
        ["method"] = "textDocument/hover",
        ["params"] = new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri },
            ["position"] = new JsonObject { ["line"] = 0, ["character"] = 0 },
        },
    }.ToJsonString();

    private static IEnumerable<TestCaseData> Refused()
    {
        yield return new TestCaseData("""{"jsonrpc":"2.0","id":901,"method":"textDocument/hover","params":""", 901, -32700).SetName("AFrameThatIsNotJsonIs32700");
        yield return new TestCaseData($"[{HoverOn(902, "file:///workspace/main.py")}]", 902, -32600).SetName("ABatchIs32600");
        yield return new TestCaseData(HoverOn(903, "file:///workspace/main.py").Replace("\"2.0\"", "\"1.0\"", StringComparison.Ordinal), 903, -32600).SetName("AMessageThatIsNotJsonRpc20Is32600");
        yield return new TestCaseData("""{"jsonrpc":"2.0","id":904,"result":{"applied":true}}""", 904, -32600).SetName("AReplyFromTheClientIs32600");
        yield return new TestCaseData("""{"jsonrpc":"2.0","id":905,"method":"initialize","params":{"processId":null,"rootUri":"file:///","capabilities":{}}}""", 905, -32600).SetName("ASecondInitializeIs32600");
        yield return new TestCaseData("""{"jsonrpc":"2.0","id":906,"method":"workspace/executeCommand","params":{"command":"pyright.createtypestub","arguments":["/etc"]}}""", 906, -32601).SetName("ARequestNotPassedOnIs32601");
        yield return new TestCaseData("""{"jsonrpc":"2.0","method":"workspace/didChangeWorkspaceFolders","params":{"event":{"added":[{"uri":"file:///","name":"root"}],"removed":[]}}}""", null, -32601).SetName("ANotificationNotPassedOnIs32601");
        yield return new TestCaseData(HoverOn(907, "file:///etc/passwd"), 907, -32602).SetName("AUriOutsideTheWorkspaceIs32602");
        yield return new TestCaseData(HoverOn(908, "https://evil.example/main.py"), 908, -32602).SetName("AUriOfAnotherSchemeIs32602");
        yield return new TestCaseData(HoverOn(909, "file:///workspace/src/%2e%2e/%2e%2e/etc/passwd"), 909, -32602).SetName("AUriWithEncodedDotDotSegmentsIs32602");
        yield return new TestCaseData(HoverOn(910, "file:///sandbox/main.py"), 910, -32602).SetName("AUriTheServerSeesIs32602");
        yield return new TestCaseData(HoverOn(911, "file:///workspace/main.py?x=1"), 911, -32602).SetName("AUriWithAQueryIs32602");
        yield return new TestCaseData("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///etc/passwd","languageId":"python","version":1,"text":""}}}""", null, -32602).SetName("ADidOpenOutsideTheWorkspaceIs32602");
        yield return new TestCaseData("""{"jsonrpc":"2.0","id":912,"method":"completionItem/resolve","params":{"label":"path","data":{"webideItem":999999}}}""", 912, -32602).SetName("ACompletionItemNotFromARecentListIs32602");
    }

    [TestCaseSource(nameof(Refused))]
    public async Task ARefusedFrameGetsItsErrorAndLeavesTheServerUntouched(string frame, int? id, int code)
    {
        var refusal = await _socket.RefusalAsync(frame, id, ServerDeadline);
        var after = await _socket.RequestAsync("textDocument/hover", LspSocket.Position("main.py", 0, 1), ServerDeadline);
        var saved = Encoding.UTF8.GetString(await _workspace.Files.ReadBytesAsync("main.py"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int?)refusal["error"]?["code"], Is.EqualTo(code), refusal.ToJsonString());
            Assert.That(refusal["id"] is null || (int?)refusal["id"] == id, Is.True, $"the error names the frame's id or none: {refusal.ToJsonString()}");
            Assert.That(after["error"], Is.Null, $"the server still answers: {after.ToJsonString()}");
            Assert.That(_socket.State, Is.EqualTo(WebSocketState.Open));
            Assert.That(saved, Is.EqualTo(Main));
        }
    }
}
