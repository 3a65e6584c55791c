using System.Text;
using System.Text.Json.Nodes;
using WebIde.Execution.LanguageServers;

namespace WebIde.Execution.UnitTests.LanguageServers;

public sealed class ServerMessageFilterTests
{
    private static ServerVerdict Check(ServerMessageFilter filter, string json) => filter.Check(Encoding.UTF8.GetBytes(json));

    [Test]
    public void DiagnosticsReachTheClientWithItsUris()
    {
        var verdict = Check(new ServerMessageFilter(new CompletionItemStore()), """
            {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///sandbox/main.c","diagnostics":[{"message":"in /sandbox/lib.h: bad"}]}}
            """);

        Assert.That(verdict.ToClient!.ToJsonString(), Does.Contain("\"file:///workspace/main.c\"").And.Contain("in /workspace/lib.h: bad").And.Not.Contain("sandbox"));
    }

    [Test]
    public void TheServersRequestsAreAnsweredByTheRelayNotTheClient()
    {
        var filter = new ServerMessageFilter(new CompletionItemStore());

        var configuration = Check(filter, """{"jsonrpc":"2.0","id":1,"method":"workspace/configuration","params":{"items":[{"section":"python"},{"section":"python.analysis"}]}}""");
        var unknown = Check(filter, """{"jsonrpc":"2.0","id":2,"method":"custom/thing","params":{}}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(configuration.ToClient, Is.Null);
            Assert.That(configuration.ToServer!.ToJsonString(), Is.EqualTo("""{"jsonrpc":"2.0","id":1,"result":[null,null]}"""));
            Assert.That((int)unknown.ToServer!["error"]!["code"]!, Is.EqualTo(-32601));
        }
    }

    [Test]
    public void DefinitionsOutsideTheWorkspaceAreLeftOut()
    {
        var filter = new ServerMessageFilter(new CompletionItemStore());
        filter.Expect("5", "textDocument/definition");

        var verdict = Check(filter, """
            {"jsonrpc":"2.0","id":5,"result":[{"uri":"file:///sandbox/helper.py","range":{}},{"uri":"file:///usr/lib/python3.11/os.py","range":{}}]}
            """);

        var result = verdict.ToClient!["result"]!.AsArray();
        Assert.That(result.Select(location => (string?)location!["uri"]), Is.EqualTo(new[] { "file:///workspace/helper.py" }));
    }

    [Test]
    public void CompletionItemsCarryTheRelaysNumberAndTheStoreKeepsTheServersData()
    {
        var items = new CompletionItemStore();
        var filter = new ServerMessageFilter(items);
        filter.Expect("\"c\"", "textDocument/completion");

        var verdict = Check(filter, """
            {"jsonrpc":"2.0","id":"c","result":{"isIncomplete":false,"items":[{"label":"path","data":{"file":"/sandbox/main.ts"}}]}}
            """);

        var item = verdict.ToClient!["result"]!["items"]![0]!;
        var number = (long)item["data"]![CompletionItemStore.RelayKey]!;
        Assert.That(item.ToJsonString(), Does.Not.Contain("main.ts"));
        Assert.That(items.Find(number)!.ToJsonString(), Is.EqualTo("""{"label":"path","data":{"file":"/sandbox/main.ts"}}"""));
    }

    [Test]
    public void OlderListsAreForgotten()
    {
        var items = new CompletionItemStore();
        items.BeginList();
        var oldest = items.Keep(JsonValue.Create(1)!);
        items.BeginList();
        var older = items.Keep(JsonValue.Create(2)!);
        items.BeginList();

        Assert.That(items.Find(oldest), Is.Null);
        Assert.That(items.Find(older), Is.Not.Null);
    }
}
