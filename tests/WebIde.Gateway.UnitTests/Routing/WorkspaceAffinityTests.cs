using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// The gateway's real configuration, with two collaboration instances of its own (the shared
/// gateway's two collaboration destinations are one listener): every socket of a workspace
/// reaches one instance, and when that instance stops the workspace moves to the other.
/// </summary>
public sealed class WorkspaceAffinityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private CollaborationInstance _first = null!;
    private CollaborationInstance _second = null!;
    private GatewayFactory _gateway = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _first = await CollaborationInstance.StartAsync("collaboration-1");
        _second = await CollaborationInstance.StartAsync("collaboration-2");
        _gateway = new GatewayFactory(
        [
            new("services:collaboration-1:http:0", _first.Address.ToString()),
            new("services:collaboration-2:http:0", _second.Address.ToString()),
            // Read at start; nothing here asks it anything (sockets without a token go through).
            new("services:identity:http:0", "http://127.0.0.1:1"),
            new("WebApp:Root", Path.Combine(Path.GetTempPath(), $"webide-no-webroot-{Guid.NewGuid():N}")),
        ]);
        await _gateway.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Whatever SetUp got to start, should it have failed half-way.
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        foreach (var instance in new[] { _first, _second }.Where(instance => instance is not null))
        {
            await instance.DisposeAsync();
        }
    }

    [Test]
    public async Task EverySocketOfAWorkspaceReachesOneInstance()
    {
        using var deadline = new CancellationTokenSource(Patience);
        var target = $"/ws/collab/{Workspace(1)}";

        // Opened together and held open: a policy that weighs load (YARP's default) sends them apart.
        var sockets = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => ConnectAsync(target, deadline.Token)));
        await CloseAllAsync(sockets, deadline.Token);

        Assert.That(sockets.Select(socket => socket.Instance).Distinct(), Has.Exactly(1).Items);
    }

    [Test]
    public async Task DifferentWorkspacesReachBothInstances()
    {
        using var deadline = new CancellationTokenSource(Patience);
        var reached = new HashSet<string>();

        // One in 2^31 that 32 workspaces all hash to one of two instances.
        for (var i = 0; i < 32 && reached.Count < 2; i++)
        {
            var socket = await ConnectAsync($"/ws/collab/{Workspace(i)}", deadline.Token);
            await CloseAllAsync([socket], deadline.Token);
            reached.Add(socket.Instance);
        }

        Assert.That(reached, Is.EquivalentTo(new[] { _first.Name, _second.Name }));
    }

    [Test]
    public async Task AWorkspaceWhoseInstanceStopsMovesToTheOtherAfterOneRefusedSocket()
    {
        using var deadline = new CancellationTokenSource(Patience);
        var target = $"/ws/collab/{Workspace(1)}";
        var before = await ConnectAsync(target, deadline.Token);
        await CloseAllAsync([before], deadline.Token);
        var (stopped, survivor) = before.Instance == _first.Name ? (_first, _second) : (_second, _first);

        await stopped.StopAsync();
        // The socket that finds the instance gone gets 502 and takes the instance out (passive
        // check), unless the active probe got there first; a client reconnects, and so does this.
        var (after, refused) = await ConnectOnceAnsweredAsync(target, deadline.Token);
        var again = await ConnectAsync(target, deadline.Token);
        await CloseAllAsync([after, again], deadline.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.Instance, Is.EqualTo(survivor.Name));
            Assert.That(again.Instance, Is.EqualTo(survivor.Name));
            Assert.That(refused, Is.LessThanOrEqualTo(1), "sockets refused before the workspace moved");
        }
    }

    [Test]
    public async Task EchoSocketsHaveNoWorkspaceAndUseBothInstances()
    {
        using var deadline = new CancellationTokenSource(Patience);

        var sockets = new List<(ClientWebSocket Socket, string Instance)>();
        for (var i = 0; i < 4; i++)
        {
            sockets.Add(await ConnectAsync("/ws/echo", deadline.Token));
        }
        await CloseAllAsync(sockets, deadline.Token);

        Assert.That(sockets.Select(socket => socket.Instance).Distinct(), Is.EquivalentTo(new[] { _first.Name, _second.Name }));
    }

    /// <summary>A workspace id, the same in every run.</summary>
    private static string Workspace(int number) => $"6f1c0f1e-0000-4000-8000-{number:x12}";

    /// <summary>Connects again after each refusal (502), as a client does; says how many there were.</summary>
    private async Task<((ClientWebSocket Socket, string Instance) Socket, int Refused)> ConnectOnceAnsweredAsync(string target, CancellationToken cancellationToken)
    {
        for (var refused = 0; ; refused++)
        {
            try
            {
                return (await ConnectAsync(target, cancellationToken), refused);
            }
            catch (WebSocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private async Task<(ClientWebSocket Socket, string Instance)> ConnectAsync(string target, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            var address = new UriBuilder(_gateway.HttpAddress) { Scheme = "ws" }.Uri;
            await socket.ConnectAsync(new Uri(address, target), cancellationToken);
            var seen = JsonSerializer.Deserialize<EchoedRequest>(await socket.ReceiveTextAsync(cancellationToken), JsonSerializerOptions.Web);
            Assert.That(seen?.Target, Is.EqualTo(target), "the instance got the socket's own target");
            return (socket, seen!.Listener);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task CloseAllAsync(IEnumerable<(ClientWebSocket Socket, string Instance)> sockets, CancellationToken cancellationToken)
    {
        foreach (var (socket, _) in sockets)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            socket.Dispose();
        }
    }
}
