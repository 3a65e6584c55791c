using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using WebIde.AppHost.Platform.Tls;
using WebIde.Tests.Shared;

namespace WebIde.ServiceDefaults.UnitTests.Tls;

/// <summary>
/// A throw-away RabbitMQ node with a TLS listener only, on free loopback ports, with its own port mapper (so none
/// outlives the test), when the machine has RabbitMQ installed (as <c>./webide up</c> installs it); null otherwise.
/// Its <c>guest</c> user may connect from loopback, as a fresh node's may.
/// </summary>
internal sealed class LocalTlsBroker : IAsyncDisposable
{
    private const string Library = "/usr/lib/rabbitmq/lib";

    private readonly Process _epmd;
    private readonly Process _broker;
    private readonly DirectoryInfo _folder;

    private LocalTlsBroker(Process epmd, Process broker, DirectoryInfo folder, int port)
    {
        _epmd = epmd;
        _broker = broker;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<LocalTlsBroker?> TryStartAsync(GatewayCertificate certificate, TimeSpan timeout)
    {
        var script = Directory.Exists(Library)
            ? Directory.GetDirectories(Library, "rabbitmq_server-*").Select(folder => Path.Combine(folder, "sbin", "rabbitmq-server")).Where(File.Exists).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        if (script is null)
        {
            return null;
        }

        var folder = Directory.CreateTempSubdirectory("webide-broker-tls-");
        var port = LocalRedis.FreePort();
        var epmdPort = LocalRedis.FreePort();
        File.WriteAllText(Path.Combine(folder.FullName, "enabled_plugins"), "[].\n");
        File.WriteAllText(Path.Combine(folder.FullName, "rabbitmq.conf"), $"""
            log.console = false
            log.file = false
            listeners.tcp = none
            listeners.ssl.default = 127.0.0.1:{port}
            ssl_options.certfile = {certificate.CertificateFile}
            ssl_options.keyfile = {certificate.KeyFile}
            ssl_options.verify = verify_none
            ssl_options.fail_if_no_peer_cert = false

            """);

        var epmd = Start(new ProcessStartInfo("epmd") { ArgumentList = { "-address", "127.0.0.1", "-port", Invariant(epmdPort) } });
        var start = new ProcessStartInfo(script)
        {
            Environment =
            {
                ["HOME"] = Directory.CreateDirectory(Path.Combine(folder.FullName, "home")).FullName,
                ["RABBITMQ_NODENAME"] = $"webide-tls-{Guid.NewGuid():N}@localhost",
                ["RABBITMQ_DIST_PORT"] = Invariant(LocalRedis.FreePort()),
                ["ERL_EPMD_PORT"] = Invariant(epmdPort),
                ["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder.FullName, "mnesia"),
                ["RABBITMQ_LOG_BASE"] = Path.Combine(folder.FullName, "log"),
                ["RABBITMQ_LOGS"] = "-",
                ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder.FullName, "enabled_plugins"),
                ["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder.FullName, "rabbitmq"),
                ["RABBITMQ_PID_FILE"] = Path.Combine(folder.FullName, "rabbitmq.pid"),
                ["ERL_CRASH_DUMP"] = Path.Combine(folder.FullName, "erl_crash.dump"),
            },
        };
        var broker = Start(start);
        var started = new LocalTlsBroker(epmd, broker, folder, port);
        try
        {
            await started.WaitForListenerAsync(DateTime.UtcNow + timeout);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>Up once its TLS listener takes connections: a node opens its listeners last, when it is ready.</summary>
    private async Task WaitForListenerAsync(DateTime deadline)
    {
        while (true)
        {
            if (_broker.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {_broker.ExitCode} before it listened on {Port}.");
            }
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static Process Start(ProcessStartInfo start)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        // Read and dropped, so that a pipe nobody reads never fills and stops the process.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _broker, _epmd })
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        _folder.Delete(recursive: true);
    }
}
