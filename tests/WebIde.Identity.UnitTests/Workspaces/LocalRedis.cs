using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>
/// A throw-away redis-server on a free loopback port, without persistence, when the machine
/// has one on its PATH; the tests that need it are ignored otherwise.
/// </summary>
public sealed class LocalRedis : IAsyncDisposable
{
    private readonly Process _process;

    private LocalRedis(Process process, ConnectionMultiplexer connection)
    {
        _process = process;
        Connection = connection;
    }

    public ConnectionMultiplexer Connection { get; }

    public static async Task<LocalRedis?> TryStartAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=500");
                return new LocalRedis(process, connection);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
