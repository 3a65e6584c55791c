using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using WebIde.Execution.Sandbox;
using WebIde.IntegrationTests.Execution;
using WebIde.IntegrationTests.Files;

namespace WebIde.IntegrationTests.LanguageServers;

/// <summary>
/// <c>/ws/lsp</c>'s rules (docs/api.md §6), with Python's server: who may open one, what a client may not
/// make the server read, limits on frames and rates, files kept current, and a document's own view.
/// </summary>
[Order(12)]
public sealed class LanguageServerSocketTests
{
    private static readonly TimeSpan ServerDeadline = TimeSpan.FromSeconds(90);
    private const string Main = "import os\nos.\n";

    private static async Task<ExecWorkspace> WorkspaceAsync(string prefix)
    {
        var workspace = await ExecWorkspace.CreateAsync(prefix);
        await workspace.WriteAsync("main.py", Main);
        return workspace;
    }

    private static Task<LspSocket> OpenAsync(ExecWorkspace workspace, string? token = null) =>
        LspSocket.OpenAsync(workspace.Id, "python", token ?? workspace.AccessToken, new Dictionary<string, string> { ["main.py"] = Main });

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
    public async Task NothingOutsideTheWorkspaceCanBeNamedAndTheServerStaysUsable()
    {
        var workspace = await WorkspaceAsync("lsp-uris");
        await using var socket = await OpenAsync(workspace);

        await socket.OpenDocumentAsync("../../etc/passwd", "python", "x");
        await socket.SendTextAsync("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///etc/passwd","languageId":"python","version":1,"text":""}}}""");
        var outside = await socket.RequestAsync("textDocument/hover", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = "file:///etc/passwd" },
            ["position"] = new JsonObject { ["line"] = 0, ["character"] = 0 },
        }, ServerDeadline);
        var dotDot = await socket.RequestAsync("textDocument/completion", LspSocket.Position("src/%2e%2e/%2e%2e/etc/passwd", 0, 0), ServerDeadline);
        var serverPath = await socket.RequestAsync("textDocument/definition", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = "file:///sandbox/main.py" },
            ["position"] = new JsonObject { ["line"] = 0, ["character"] = 0 },
        }, ServerDeadline);
        var command = await socket.RequestAsync("workspace/executeCommand", new JsonObject { ["command"] = "pyright.createtypestub", ["arguments"] = new JsonArray("/etc") }, ServerDeadline);
        var labels = await socket.CompleteAsync("main.py", 1, 3, found => found.Contains("path"), ServerDeadline);

        using (Assert.EnterMultipleScope())
        {
            foreach (var refused in new[] { outside, dotDot, serverPath })
            {
                Assert.That((int?)refused["error"]?["code"], Is.EqualTo(-32602), refused.ToJsonString());
            }
            Assert.That((int?)command["error"]?["code"], Is.EqualTo(-32601), command.ToJsonString());
            Assert.That(socket.Notifications.Count(message => message["id"] is null && message["error"] is not null && message["method"] is null), Is.EqualTo(2),
                "each refused didOpen answered with an error of id null");
            Assert.That(labels, Does.Contain("path"));
            Assert.That(socket.Notifications.Where(message => message["method"] is not null).Select(message => message.ToJsonString()),
                Has.None.Contains("passwd").And.None.Contains("/sandbox"), "nothing the server said mentions them");
        }
    }

    [Test]
    public async Task AFrameOverTheLimitClosesTheSocketWith1009()
    {
        var workspace = await WorkspaceAsync("lsp-large");
        await using var socket = await LspSocket.ConnectAsync(workspace.Id, "python", workspace.AccessToken);

        try
        {
            await socket.SendBytesAsync(Encoding.UTF8.GetBytes(new string(' ', (8 << 20) + 1)));
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The server stopped reading at the limit and closed: the rest of the frame had nowhere to go.
        }

        Assert.That((await socket.WaitForCloseAsync(ServerDeadline)).Status, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    [Test]
    public async Task AFloodOfRequestsClosesTheSocketWith1008()
    {
        var workspace = await WorkspaceAsync("lsp-flood");
        await using var socket = await OpenAsync(workspace);

        var request = LspSocket.Position("main.py", 1, 3);
        for (var i = 0; i < 2000 && socket.State == WebSocketState.Open; i++)
        {
            try
            {
                await socket.SendTextAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 10_000 + i, ["method"] = "textDocument/hover", ["params"] = request.DeepClone() }.ToJsonString());
            }
            catch (WebSocketException)
            {
                break;
            }
        }

        Assert.That((await socket.WaitForCloseAsync(ServerDeadline)).Status, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
    }

    [Test]
    public async Task AViewerGetsCompletionButChangesNoFile()
    {
        var workspace = await WorkspaceAsync("lsp-viewer");
        var viewer = await workspace.Files.AddMemberAsync("viewer");
        await using var socket = await OpenAsync(workspace, viewer);

        var labels = await socket.CompleteAsync("main.py", 1, 3, found => found.Contains("path"), ServerDeadline);
        await socket.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspSocket.DocumentUri("main.py"), ["version"] = 2 },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = "print('changed by a viewer')\n" }),
        });
        await socket.NotifyAsync("textDocument/didSave", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = LspSocket.DocumentUri("main.py") }, ["text"] = "saved?" });
        var after = await socket.RequestAsync("textDocument/hover", LspSocket.Position("main.py", 0, 1), ServerDeadline);

        Assert.That(labels, Does.Contain("path"));
        Assert.That(after["error"], Is.Null, "the server still answers");
        Assert.That(Encoding.UTF8.GetString(await workspace.Files.ReadBytesAsync("main.py")), Is.EqualTo(Main));
    }

    [Test]
    public async Task WhoMayNotOpenOneIsToldByTheCloseCode()
    {
        var workspace = await WorkspaceAsync("lsp-access");
        var stranger = await workspace.Files.AddMemberAsync(null);

        var closes = new Dictionary<string, (WebSocketCloseStatus? Status, string? Reason)>();
        foreach (var (name, id, language, token) in new[]
        {
            ("non-member", workspace.Id, "python", stranger),
            ("bad token", workspace.Id, "python", "not.a.token"),
            ("no token", workspace.Id, "python", null),
            ("language without a server", workspace.Id, "java", workspace.AccessToken),
            ("unknown language", workspace.Id, "cobol", workspace.AccessToken),
            ("not a workspace id", "nope", "python", workspace.AccessToken),
        })
        {
            await using var socket = await LspSocket.ConnectAsync(id, language, token);
            closes[name] = await socket.WaitForCloseAsync(ServerDeadline);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int?)closes["non-member"].Status, Is.EqualTo(4003));
            Assert.That((int?)closes["bad token"].Status, Is.EqualTo(4001));
            Assert.That((int?)closes["no token"].Status, Is.EqualTo(4001));
            Assert.That((int?)closes["language without a server"].Status, Is.EqualTo(4004));
            Assert.That((int?)closes["unknown language"].Status, Is.EqualTo(4004));
            Assert.That((int?)closes["not a workspace id"].Status, Is.EqualTo(4004));
        }
    }

    [Test]
    public async Task AUsersFifthServerIsRefusedWith4008AndTheirFirstFourServe()
    {
        var workspace = await WorkspaceAsync("lsp-many");
        var open = new List<LspSocket>();
        try
        {
            foreach (var language in new[] { "python", "bash", "c", "cpp" })
            {
                open.Add(await LspSocket.ConnectAsync(workspace.Id, language, workspace.AccessToken));
            }
            await using var fifth = await LspSocket.ConnectAsync(workspace.Id, "python", workspace.AccessToken);
            var refused = await fifth.WaitForCloseAsync(ServerDeadline);

            Assert.That((int?)refused.Status, Is.EqualTo(4008));
            Assert.That(open.Select(socket => socket.Closed.IsCompleted), Has.All.False, "the first four stay open");
        }
        finally
        {
            foreach (var socket in open)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task AnotherWorkspacesFilesAreNotInSight()
    {
        var other = await WorkspaceAsync("lsp-other");
        await other.WriteAsync("secret.py", "SECRET_VALUE = 42\n");
        var workspace = await WorkspaceAsync("lsp-mine");
        const string text = "import secret\nsecret.\nimport os\nos.\n";
        await using var socket = await LspSocket.OpenAsync(workspace.Id, "python", workspace.AccessToken, new Dictionary<string, string> { ["main.py"] = text });

        var own = await socket.CompleteAsync("main.py", 3, 3, found => found.Contains("path"), ServerDeadline);
        var foreign = await socket.CompleteAsync("main.py", 1, 7, found => found.Contains("SECRET_VALUE"), TimeSpan.FromSeconds(5));

        Assert.That(own, Does.Contain("path"), "the server answers");
        Assert.That(foreign, Does.Not.Contain("SECRET_VALUE"));
    }

    [Test]
    public async Task AFileSavedAfterTheServerStartedIsSeenByIt()
    {
        var workspace = await WorkspaceAsync("lsp-current");
        const string text = "import fresh\nfresh.\n";
        await using var socket = await LspSocket.OpenAsync(workspace.Id, "python", workspace.AccessToken, new Dictionary<string, string> { ["main.py"] = text });
        await socket.CompleteAsync("main.py", 1, 6, _ => true, ServerDeadline);

        await workspace.WriteAsync("fresh.py", "def brand_new_function():\n    return 1\n");
        // A client re-requests as the person types; the file event reaches the server within seconds.
        var labels = await socket.CompleteAsync("main.py", 1, 6, found => found.Contains("brand_new_function"), TimeSpan.FromSeconds(30));

        Assert.That(labels, Does.Contain("brand_new_function"));
    }

    [Test]
    public async Task CompletionFollowsThePersonsOwnViewNotThePeersSavedFile()
    {
        var workspace = await WorkspaceAsync("lsp-view");
        await using var socket = await OpenAsync(workspace);
        await socket.CompleteAsync("main.py", 1, 3, found => found.Contains("path"), ServerDeadline);

        // A peer saves the file with lines above the member access: positions in it move, the person's view does not.
        await workspace.WriteAsync("main.py", "# a\n# b\n# c\nimport sys\nsys.\n");
        // File events reach the server in order: once a file saved after it is seen, so is the peer's.
        await workspace.WriteAsync("marker.py", "def marker_function():\n    return 1\n");
        await socket.OpenDocumentAsync("probe.py", "python", "import marker\nmarker.\n");
        var marker = await socket.CompleteAsync("probe.py", 1, 7, found => found.Contains("marker_function"), TimeSpan.FromSeconds(30));
        var labels = await socket.CompleteAsync("main.py", 1, 3, found => found.Contains("path"), ServerDeadline);

        Assert.That(marker, Does.Contain("marker_function"), "the files saved after the server started are in its sight");
        Assert.That(labels, Does.Contain("path"), "completed at os. of the person's own document");
    }

    [Test]
    public async Task TheServerRunsInALockedDownContainerOfTheUsersThatGoesWithTheSocket()
    {
        var workspace = await WorkspaceAsync("lsp-container");
        using var docker = new DockerClientConfiguration(new Uri("unix:///var/run/docker.sock")).CreateClient();
        var socket = await OpenAsync(workspace);
        await socket.CompleteAsync("main.py", 1, 3, found => found.Contains("path"), ServerDeadline);

        var containers = await ServerContainersAsync(docker, workspace.Id);
        Assert.That(containers, Has.Count.EqualTo(1), "one container for the socket's server");
        var inspected = await docker.Containers.InspectContainerAsync(containers[0].ID);
        await socket.DisposeAsync();
        using var deadline = new CancellationTokenSource(ServerDeadline);
        while ((await ServerContainersAsync(docker, workspace.Id)).Count > 0 && !deadline.IsCancellationRequested)
        {
            await Task.Delay(250);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inspected.Config.Labels[SandboxLabels.Tenant], Is.EqualTo(FileWorkspace.UserIdOf(workspace.AccessToken)));
            Assert.That(inspected.Config.Labels[SandboxLabels.LanguageServer], Is.EqualTo("python"));
            Assert.That(inspected.HostConfig.NetworkMode, Is.EqualTo("none"));
            Assert.That(inspected.HostConfig.Memory, Is.GreaterThan(0));
            Assert.That(inspected.HostConfig.NanoCPUs, Is.GreaterThan(0));
            Assert.That(inspected.HostConfig.PidsLimit, Is.GreaterThan(0));
            Assert.That(inspected.HostConfig.ReadonlyRootfs, Is.True);
            Assert.That(inspected.HostConfig.CapDrop, Does.Contain("ALL"));
            Assert.That(await ServerContainersAsync(docker, workspace.Id), Is.Empty, "the container is removed once the socket closes");
        }
    }

    private static async Task<IList<ContainerListResponse>> ServerContainersAsync(IDockerClient docker, string workspaceId) =>
        await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{SandboxLabels.Workspace}={workspaceId}"] = true, [SandboxLabels.LanguageServer] = true },
            },
        });
}
