using System.Text;
using System.Text.Json.Nodes;
using WebIde.Execution.LanguageServers;

namespace WebIde.Execution.UnitTests.LanguageServers;

public sealed class ClientMessageGateTests
{
    private static ClientVerdict Check(ClientMessageGate gate, string json) => gate.Check(Encoding.UTF8.GetBytes(json));

    [Test]
    public void InitializeGetsTheRelaysRootAndNothingOfTheClientsButCapabilities()
    {
        var verdict = Check(new ClientMessageGate(new CompletionItemStore()), """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":4242,"rootUri":"file:///etc","rootPath":"/etc",
             "workspaceFolders":[{"uri":"file:///home","name":"h"}],"initializationOptions":{"tsserver":{"path":"/bin/sh"}},
             "capabilities":{"textDocument":{"hover":{"contentFormat":["markdown"]}}}}}
            """);

        var parameters = verdict.Forward!["params"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)parameters["rootUri"], Is.EqualTo("file:///sandbox"));
            Assert.That((string?)parameters["rootPath"], Is.EqualTo("/sandbox"));
            Assert.That((string?)parameters["workspaceFolders"]![0]!["uri"], Is.EqualTo("file:///sandbox"));
            Assert.That(parameters["processId"], Is.Null);
            Assert.That(parameters["initializationOptions"], Is.Null);
            Assert.That((string?)parameters["capabilities"]!["textDocument"]!["hover"]!["contentFormat"]![0], Is.EqualTo("markdown"));
            Assert.That(verdict.RequestMethod, Is.EqualTo("initialize"));
        }
    }

    [Test]
    public void ASecondInitializeIsRefused()
    {
        var gate = new ClientMessageGate(new CompletionItemStore());
        Check(gate, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""");

        Assert.That(Check(gate, """{"jsonrpc":"2.0","id":2,"method":"initialize","params":{}}""").Refusal, Is.Not.Null);
    }

    [Test]
    public void WorkspaceUrisAreRewrittenAndDocumentTextIsLeftAlone()
    {
        var verdict = Check(new ClientMessageGate(new CompletionItemStore()), """
            {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///workspace/a.py","languageId":"python","version":1,"text":"file:///etc/passwd"}}}
            """);

        Assert.That(verdict.Forward!["params"]!["textDocument"]!["uri"]!.GetValue<string>(), Is.EqualTo("file:///sandbox/a.py"));
        Assert.That(verdict.Forward!["params"]!["textDocument"]!["text"]!.GetValue<string>(), Is.EqualTo("file:///etc/passwd"));
    }

    [TestCase("""{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///etc/passwd"},"position":{"line":0,"character":0}}}""", 7, -32602)]
    [TestCase("""{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///workspace/../../etc/passwd"},"position":{"line":0,"character":0}}}""", 7, -32602)]
    [TestCase("""{"jsonrpc":"2.0","id":7,"method":"textDocument/definition","params":{"textDocument":{"uri":"/etc/passwd"},"position":{"line":0,"character":0}}}""", 7, -32602)]
    [TestCase("""{"jsonrpc":"2.0","id":7,"method":"textDocument/definition","params":{"textDocument":{"uri":"file:///sandbox/main.py"},"position":{"line":0,"character":0}}}""", 7, -32602)]
    [TestCase("""{"jsonrpc":"2.0","id":"x","method":"workspace/executeCommand","params":{"command":"_typescript.applyWorkspaceEdit"}}""", "x", -32601)]
    [TestCase("""{"jsonrpc":"2.0","id":8,"method":"completionItem/resolve","params":{"label":"x","data":{"file":"/etc/passwd"}}}""", 8, -32602)]
    public void ARequestOutsideTheWorkspaceOrOfAnotherMethodIsAnsweredWithAnError(string json, object id, int code)
    {
        var verdict = Check(new ClientMessageGate(new CompletionItemStore()), json);

        Assert.That(verdict.Forward, Is.Null);
        Assert.That(verdict.Refusal!["id"]!.ToJsonString(), Is.EqualTo(JsonValue.Create(id)!.ToJsonString()));
        Assert.That((int)verdict.Refusal!["error"]!["code"]!, Is.EqualTo(code));
    }

    [TestCase("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///etc/passwd","languageId":"python","version":1,"text":""}}}""")]
    [TestCase("""{"jsonrpc":"2.0","method":"workspace/didChangeConfiguration","params":{"settings":{}}}""")]
    [TestCase("""not json""")]
    [TestCase("""[{"jsonrpc":"2.0","method":"initialized","params":{}}]""")]
    [TestCase("""{"jsonrpc":"2.0","id":3,"result":null}""")]
    public void ARefusedNotificationOrGarbageIsAnsweredWithANullIdError(string json)
    {
        var verdict = Check(new ClientMessageGate(new CompletionItemStore()), json);

        Assert.That(verdict.Forward, Is.Null);
        Assert.That(verdict.Refusal!["error"], Is.Not.Null);
    }

    [Test]
    public void AResolveSendsTheServersOwnItemWhateverTheClientSendsBack()
    {
        var items = new CompletionItemStore();
        var number = items.Keep(JsonNode.Parse("""{"label":"path","data":{"file":"/sandbox/main.ts"}}""")!);

        var verdict = Check(new ClientMessageGate(items), """{"jsonrpc":"2.0","id":9,"method":"completionItem/resolve","params":{"label":"evil","data":{"webideItem":""" + number + ""","file":"/etc/passwd"}}}""");

        Assert.That(verdict.Forward!["params"]!.ToJsonString(), Is.EqualTo("""{"label":"path","data":{"file":"/sandbox/main.ts"}}"""));
    }

    [Test]
    public void InitializeCarriesTheServersOwnOptionsNotTheClients()
    {
        var gate = new ClientMessageGate(new CompletionItemStore(), JsonNode.Parse("""{"tsserver":{"useSyntaxServer":"never"}}""")!.AsObject());

        var verdict = Check(gate, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"initializationOptions":{"tsserver":{"path":"/bin/sh"}}}}""");

        Assert.That(verdict.Forward!["params"]!["initializationOptions"]!.ToJsonString(), Is.EqualTo("""{"tsserver":{"useSyntaxServer":"never"}}"""));
    }
}
