using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebIde.Execution.UnitTests.DockerGate;

/// <summary>
/// A stand-in for the Docker engine on a Unix socket, speaking just enough of its API for the
/// calls execution makes: it records every request that reaches it (so a test can show a refused
/// call never did), keeps the containers created through it, answers an attach as the engine does
/// (a 200, then the raw connection) by echoing stdin back as stdout frames, and shows the end of
/// stdin as a last <c>stdin closed</c> frame.
/// </summary>
public sealed class FakeDockerEngine : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeDockerEngine(string socketPath)
    {
        SocketPath = socketPath;
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen();
        _accepting = AcceptAsync();
    }

    public string SocketPath { get; }

    /// <summary>Every request the engine got: method and target.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Containers by id: their create body.</summary>
    public ConcurrentDictionary<string, JsonObject> Containers { get; } = new();

    /// <summary>The languages file the archive call returns, as the runner image holds it.</summary>
    public string LanguagesJson { get; set; } = """{"python": {"version": "3.11.2"}}""";

    /// <summary>A container the engine holds that was not created through the gate.</summary>
    public string Add(IDictionary<string, string> labels)
    {
        var id = NewId();
        Containers[id] = new JsonObject { ["Labels"] = new JsonObject(labels.Select(label => KeyValuePair.Create(label.Key, (JsonNode?)label.Value))) };
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }

    private static string NewId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(_stop.Token);
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        await using (var stream = new NetworkStream(connection, ownsSocket: false))
        {
            try
            {
                var reader = new HeadReader(stream);
                while (await reader.ReadHeadAsync() is { } head)
                {
                    var lines = head.Split("\r\n");
                    var requestLine = lines[0].Split(' ');
                    var (method, target) = (requestLine[0], requestLine[1]);
                    Requests.Enqueue($"{method} {target}");
                    var length = lines.Skip(1).Select(line => line.Split(':', 2)).Where(header => header[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                        .Select(header => int.Parse(header[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                    var body = await reader.ReadBodyAsync(length);
                    var path = target.Split('?')[0];
                    if (path.EndsWith("/attach", StringComparison.Ordinal))
                    {
                        await AttachAsync(stream, connection, reader);
                        return;
                    }
                    var (status, answer) = Answer(method, path, body);
                    await WriteAsync(stream, status, answer);
                }
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    private (int Status, byte[] Body) Answer(string method, string path, byte[] body)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (method, segments)
        {
            case ("GET" or "HEAD", ["_ping"]):
                return (200, "OK"u8.ToArray());
            case ("GET", ["images", _, "json"]):
                return (200, """{"Id": "sha256:0", "Size": 1}"""u8.ToArray());
            case ("GET", ["containers", "json"]):
                return (200, Encoding.UTF8.GetBytes(new JsonArray([.. Containers.Keys.Select(id => (JsonNode)new JsonObject { ["Id"] = id })]).ToJsonString()));
            case ("POST", ["containers", "create"]):
                var id = NewId();
                Containers[id] = JsonNode.Parse(body)!.AsObject();
                return (201, Encoding.UTF8.GetBytes(new JsonObject { ["Id"] = id, ["Warnings"] = new JsonArray() }.ToJsonString()));
            case (_, ["containers", var named, ..]) when !Containers.ContainsKey(named):
                return (404, Encoding.UTF8.GetBytes($$"""{"message": "No such container: {{named}}"}"""));
            case ("GET", ["containers", var inspected, "json"]):
                var labels = Containers[inspected]["Labels"]?.DeepClone();
                return (200, Encoding.UTF8.GetBytes(new JsonObject { ["Id"] = inspected, ["Config"] = new JsonObject { ["Labels"] = labels }, ["State"] = new JsonObject { ["OOMKilled"] = false } }.ToJsonString()));
            case ("POST", ["containers", _, "start"]):
                return (204, []);
            case ("GET", ["containers", _, "archive"]):
                return (200, LanguagesArchive());
            case ("DELETE", ["containers", var removed]):
                Containers.TryRemove(removed, out _);
                return (204, []);
            default:
                return (200, "{}"u8.ToArray());
        }
    }

    private byte[] LanguagesArchive()
    {
        using var archive = new MemoryStream();
        using (var tar = new TarWriter(archive, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "languages.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(LanguagesJson)) });
        }
        return archive.ToArray();
    }

    private static async Task WriteAsync(Stream stream, int status, byte[] body)
    {
        var contentType = body.Length > 0 && body[0] is (byte)'{' or (byte)'[' ? "application/json" : "application/octet-stream";
        // An archive's answer says what it holds in a header of its own, which Docker.DotNet reads.
        var stat = contentType == "application/octet-stream" && status == 200
            ? $"X-Docker-Container-Path-Stat: {Convert.ToBase64String("{\"name\":\"languages.json\",\"size\":1,\"mode\":420,\"mtime\":\"2026-01-01T00:00:00Z\",\"linkTarget\":\"\"}"u8)}\r\n"
            : "";
        var head = status == 204
            ? $"HTTP/1.1 204 No Content\r\n\r\n"
            : $"HTTP/1.1 {status} X\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n{stat}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
    }

    /// <summary>As the engine answers an attach without an upgrade: 200, then the connection is the container's stdio.</summary>
    private static async Task AttachAsync(NetworkStream stream, Socket connection, HeadReader reader)
    {
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n"u8.ToArray());
        var buffer = new byte[16 * 1024];
        var pending = reader.TakeBuffered();
        if (pending.Length > 0)
        {
            await stream.WriteAsync(StdoutFrame(pending));
        }
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            await stream.WriteAsync(StdoutFrame(buffer.AsSpan(0, read)));
        }
        await stream.WriteAsync(StdoutFrame("stdin closed"u8));
        connection.Shutdown(SocketShutdown.Send);
    }

    private static byte[] StdoutFrame(ReadOnlySpan<byte> data)
    {
        var frame = new byte[8 + data.Length];
        frame[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)data.Length);
        data.CopyTo(frame.AsSpan(8));
        return frame;
    }

    /// <summary>Reads request heads and bodies off a connection that may carry several requests.</summary>
    private sealed class HeadReader(Stream stream)
    {
        private readonly List<byte> _buffered = [];

        public async Task<string?> ReadHeadAsync()
        {
            var chunk = new byte[4096];
            while (true)
            {
                var end = IndexOfHeadEnd();
                if (end >= 0)
                {
                    var head = Encoding.Latin1.GetString([.. _buffered.Take(end)]);
                    _buffered.RemoveRange(0, end + 4);
                    return head;
                }
                var read = await stream.ReadAsync(chunk);
                if (read == 0)
                {
                    return null;
                }
                _buffered.AddRange(chunk.AsSpan(0, read));
            }
        }

        public async Task<byte[]> ReadBodyAsync(int length)
        {
            var chunk = new byte[4096];
            while (_buffered.Count < length)
            {
                var read = await stream.ReadAsync(chunk);
                if (read == 0)
                {
                    throw new IOException("the body ended early");
                }
                _buffered.AddRange(chunk.AsSpan(0, read));
            }
            var body = _buffered.Take(length).ToArray();
            _buffered.RemoveRange(0, length);
            return body;
        }

        public byte[] TakeBuffered()
        {
            var rest = _buffered.ToArray();
            _buffered.Clear();
            return rest;
        }

        private int IndexOfHeadEnd()
        {
            for (var i = 0; i + 3 < _buffered.Count; i++)
            {
                if (_buffered[i] == '\r' && _buffered[i + 1] == '\n' && _buffered[i + 2] == '\r' && _buffered[i + 3] == '\n')
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
