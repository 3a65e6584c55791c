using System.Net;
using System.Net.Sockets;
using WebIde.Gateway.Listening;

namespace WebIde.Gateway.UnitTests.Listening;

[TestFixture]
public sealed class SharedListenPortsTests
{
    [Test]
    public void TwoGatewaysBindTheSamePortAndEachTakesConnections()
    {
        using var first = SharedListenPorts.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)first.LocalEndPoint!).Port;
        using var second = SharedListenPorts.Bind(new IPEndPoint(IPAddress.Loopback, port));
        first.Listen();
        second.Listen();

        // The kernel hashes each connection to one of the sockets: enough connections reach both.
        var accepted = new HashSet<Socket>();
        var clients = new List<Socket>();
        try
        {
            for (var attempt = 0; attempt < 64 && accepted.Count < 2; attempt++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                client.Connect(IPAddress.Loopback, port);
                foreach (var listener in new[] { first, second }.Where(listener => listener.Poll(200_000, SelectMode.SelectRead)))
                {
                    using var connection = listener.Accept();
                    accepted.Add(listener);
                }
            }
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }

        Assert.That(accepted, Has.Count.EqualTo(2), "connections to the shared port reached both gateways");
    }

    [Test]
    public void APortBoundTheUsualWayIsNotShared()
    {
        using var usual = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        usual.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        usual.Listen();
        var port = ((IPEndPoint)usual.LocalEndPoint!).Port;

        var refused = Assert.Throws<SocketException>(() => SharedListenPorts.Bind(new IPEndPoint(IPAddress.Loopback, port)).Dispose());
        Assert.That(refused!.SocketErrorCode, Is.EqualTo(SocketError.AddressAlreadyInUse));
    }
}
