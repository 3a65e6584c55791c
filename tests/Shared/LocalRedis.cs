using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace WebIde.Tests.Shared;

/// <summary>
/// A throw-away redis-server on a free loopback port, without persistence, when the machine
/// has one on its PATH; the tests that need it are ignored otherwise.
/// </summary>
public sealed class LocalRedis : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private LocalRedis(Process process, string folder, ConnectionMultiplexer connection)
    {
        _process = process;
        _folder = folder;
        Connection = connection;
    }

    public ConnectionMultiplexer Connection { get; }

    public int Port { get; private init; }

    /// <summary>The TLS port, when started with a certificate; <see cref="Connection"/> stays on the plain port.</summary>
    public int? TlsPort { get; private init; }

    /// <param name="tlsCertificateFile">With <paramref name="tlsKeyFile"/> (PEM): also serve TLS, on <see cref="TlsPort"/>, without asking clients for certificates.</param>
    public static async Task<LocalRedis?> TryStartAsync(string? tlsCertificateFile = null, string? tlsKeyFile = null)
    {
        var port = FreePort();
        int? tlsPort = tlsCertificateFile is null ? null : FreePort();
        var folder = Directory.CreateTempSubdirectory("webide-redis-").FullName;
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder })
        {
            start.ArgumentList.Add(argument);
        }
        if (tlsPort is { } secured)
        {
            foreach (var argument in new[] { "--tls-port", secured.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tls-cert-file", tlsCertificateFile!, "--tls-key-file", tlsKeyFile!, "--tls-auth-clients", "no" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Directory.Delete(folder, recursive: true);
            return null;
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=500");
                return new LocalRedis(process, folder, connection) { Port = port, TlsPort = tlsPort };
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (RedisConnectionException)
            {
                // It never answered: stop the one started here, then report why.
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
                process.Dispose();
                Directory.Delete(folder, recursive: true);
                throw;
            }
        }
    }

    /// <summary>A loopback port nothing listens on (as far as anyone can tell).</summary>
    public static int FreePort()
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
        Directory.Delete(_folder, recursive: true);
    }
}
