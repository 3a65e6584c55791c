using WebIde.Execution.LanguageServers;

namespace WebIde.Execution.UnitTests.LanguageServers;

public sealed class LspUrisTests
{
    [TestCase("file:///workspace/main.py", "file:///sandbox/main.py")]
    [TestCase("file:///workspace/src/a%20b.py", "file:///sandbox/src/a%20b.py")]
    [TestCase("file:///workspace", "file:///sandbox")]
    [TestCase("file:///workspace/", "file:///sandbox/")]
    public void AWorkspaceUriBecomesTheServers(string client, string server) =>
        Assert.That(LspUris.ToServer(client, out _), Is.EqualTo(server));

    [TestCase("file:///etc/passwd")]
    [TestCase("file:///workspace/../etc/passwd")]
    [TestCase("file:///workspace/%2e%2e/etc/passwd")]
    [TestCase("file:///workspace/src/%2E%2E/%2E%2E/etc/passwd")]
    [TestCase("file:///workspace/a\\..\\b")]
    [TestCase("file:///workspace//etc/passwd")]
    [TestCase("file:///workspace/.webide/home/x")]
    [TestCase("file:///workspacex/a.py")]
    [TestCase("file:///sandbox/main.py")]
    [TestCase("/etc/passwd")]
    [TestCase("untitled:Untitled-1")]
    [TestCase("file:///workspace/a.py?x=1")]
    [TestCase("file:///workspace/a%00.py")]
    public void AnythingElseIsRefusedWithAReason(string client)
    {
        Assert.That(LspUris.ToServer(client, out var problem), Is.Null);
        Assert.That(problem, Is.Not.Null.And.Not.Empty);
    }

    [TestCase("file:///sandbox/main.py", "file:///workspace/main.py")]
    [TestCase("/sandbox/main.py:3: error", "/workspace/main.py:3: error")]
    [TestCase("in \"/sandbox\"", "in \"/workspace\"")]
    [TestCase("file:///sandbox", "file:///workspace")]
    [TestCase("/home/sandbox/x and /sandboxes/y", "/home/sandbox/x and /sandboxes/y")]
    [TestCase("file:///usr/lib/python3.11/os.py", "file:///usr/lib/python3.11/os.py")]
    public void TheServersMentionsOfTheRootBecomeTheClients(string server, string client) =>
        Assert.That(LspUris.ToClient(server), Is.EqualTo(client));
}
