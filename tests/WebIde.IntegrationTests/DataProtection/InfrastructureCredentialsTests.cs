using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace WebIde.IntegrationTests.DataProtection;

/// <summary>
/// Another user or process on the machine cannot use the platform's Redis or RabbitMQ without
/// the installation's credentials (docs/api.md §7): it cannot write itself a role, publish an
/// event, or read the data folder. Raw protocol clients, so no client library fills anything in.
/// </summary>
[UnsupportedOSPlatform("windows")] // file modes and /proc are POSIX
public sealed class InfrastructureCredentialsTests
{
    [Test]
    public async Task RedisRefusesAWriteWithoutThePasswordAndNothingChanges()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var redis = await RedisAsync(deadline.Token);
        var key = $"webide:role:{Guid.NewGuid()}:{Guid.NewGuid()}";

        var anonymous = await RedisReplyAsync(redis.Port, deadline.Token, ["SET", key, "owner"]);
        var wrongPassword = await RedisReplyAsync(redis.Port, deadline.Token, ["AUTH", "guessed-password"], ["SET", key, "owner"]);
        var afterwards = await RedisReplyAsync(redis.Port, deadline.Token, ["AUTH", redis.Password], ["EXISTS", key]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(anonymous, Does.StartWith("-NOAUTH"));
            Assert.That(wrongPassword, Does.StartWith("-WRONGPASS").And.Contains("-NOAUTH"));
            Assert.That(afterwards, Is.EqualTo("+OK\r\n:0\r\n"), "the role was not written");
        }
    }

    [Test]
    public async Task RedisEvictsNothingAppendsEveryWriteAndIsBounded()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var redis = await RedisAsync(deadline.Token);

        var reply = await RedisReplyAsync(redis.Port, deadline.Token,
            ["AUTH", redis.Password], ["CONFIG", "GET", "maxmemory-policy"], ["CONFIG", "GET", "appendonly"], ["CONFIG", "GET", "maxmemory"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply, Does.Contain("$10\r\nnoeviction\r\n"));
            Assert.That(reply, Does.Contain("$10\r\nappendonly\r\n$3\r\nyes\r\n"));
            Assert.That(reply, Does.Not.Contain("$9\r\nmaxmemory\r\n$1\r\n0\r\n"), "maxmemory 0 is no limit");
        }
    }

    [Test]
    public async Task RabbitMqRefusesGuestAndAWrongPasswordButTakesTheInstallationsUser()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var broker = new Uri(await Platform.App.GetConnectionStringAsync("rabbitmq", deadline.Token) ?? throw new InvalidOperationException("no rabbitmq connection string"));
        var user = Uri.UnescapeDataString(broker.UserInfo.Split(':')[0]);
        var password = Uri.UnescapeDataString(broker.UserInfo.Split(':')[1]);

        var guest = await AmqpLoginAsync(broker.Port, "guest", "guest", deadline.Token);
        var wrong = await AmqpLoginAsync(broker.Port, user, "guessed-password", deadline.Token);
        var installation = await AmqpLoginAsync(broker.Port, user, password, deadline.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(user, Is.Not.EqualTo("guest"));
            Assert.That(guest, Is.False, "guest:guest is refused");
            Assert.That(wrong, Is.False);
            Assert.That(installation, Is.True, "the installation's own user is let in (the test can tell a refusal from a broken handshake)");
        }
    }

    [Test]
    public void TheDataFolderAndItsFoldersAreTheirOwnersAlone()
    {
        var folders = Directory.GetDirectories(Platform.DataDir).Prepend(Platform.DataDir).ToList();
        var secrets = Directory.GetFiles(Path.Combine(Platform.DataDir, "secrets"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(secrets, Is.Not.Empty);
            foreach (var folder in folders)
            {
                Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), folder);
            }
            foreach (var file in secrets)
            {
                Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), file);
            }
        }
    }

    [Test]
    public async Task NoProcessCarriesAnInfrastructurePasswordOnItsCommandLine()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var passwords = Directory.GetFiles(Path.Combine(Platform.DataDir, "secrets")).Select(file => File.ReadAllText(file).Trim()).ToList();

        var commandLines = new List<string>();
        foreach (var process in Directory.GetDirectories("/proc").Where(folder => int.TryParse(Path.GetFileName(folder), out _)))
        {
            try
            {
                commandLines.Add((await File.ReadAllTextAsync(Path.Combine(process, "cmdline"), deadline.Token)).Replace('\0', ' '));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // It ended meanwhile.
            }
        }

        Assert.That(passwords, Is.Not.Empty);
        Assert.That(commandLines.Where(line => passwords.Any(line.Contains)), Is.Empty, "ps shows command lines to every user of the machine");
    }

    private static async Task<(int Port, string Password)> RedisAsync(CancellationToken cancellationToken)
    {
        var connection = await Platform.App.GetConnectionStringAsync("redis", cancellationToken) ?? throw new InvalidOperationException("no redis connection string");
        var parts = connection.Split(',');
        var port = int.Parse(parts[0][(parts[0].LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        var password = parts.Select(part => part.Split('=', 2)).Single(pair => pair[0] == "password")[1];
        return (port, password);
    }

    /// <summary>Sends the commands pipelined on one new connection and returns every reply byte that comes back within a moment.</summary>
    private static async Task<string> RedisReplyAsync(int port, CancellationToken cancellationToken, params string[][] commands)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        var stream = client.GetStream();
        var request = new StringBuilder();
        foreach (var command in commands)
        {
            request.Append(CultureInfo.InvariantCulture, $"*{command.Length}\r\n");
            foreach (var word in command)
            {
                request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(word)}\r\n{word}\r\n");
            }
        }
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), cancellationToken);

        var reply = new MemoryStream();
        var buffer = new byte[4096];
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            while (await stream.ReadAsync(buffer, quiet.Token) is > 0 and var read)
            {
                reply.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Redis keeps the connection open: what came within the second is the answer.
        }
        return Encoding.UTF8.GetString(reply.ToArray());
    }

    /// <summary>
    /// An AMQP 0-9-1 handshake up to the login: true when the broker answers Connection.Tune (the
    /// credentials were taken), false when it closes or answers Connection.Close.
    /// </summary>
    private static async Task<bool> AmqpLoginAsync(int port, string user, string password, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), cancellationToken);
        var start = await ReadFrameAsync(stream, cancellationToken) ?? throw new InvalidOperationException("the broker sent no Connection.Start");
        Assert.That(MethodOf(start), Is.EqualTo((10, 10)), "Connection.Start");

        var response = Encoding.UTF8.GetBytes($"\0{user}\0{password}");
        var payload = new MemoryStream();
        payload.Write([0, 10, 0, 11]); // Connection.Start-Ok
        payload.Write([0, 0, 0, 0]); // client properties: an empty table
        WriteShortString(payload, "PLAIN");
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, response.Length);
        payload.Write(length);
        payload.Write(response);
        WriteShortString(payload, "en_US");
        var frame = new MemoryStream();
        frame.WriteByte(1); // a method frame
        frame.Write([0, 0]); // channel 0
        BinaryPrimitives.WriteInt32BigEndian(length, (int)payload.Length);
        frame.Write(length);
        payload.WriteTo(frame);
        frame.WriteByte(0xCE);
        await stream.WriteAsync(frame.ToArray(), cancellationToken);

        try
        {
            var answer = await ReadFrameAsync(stream, cancellationToken);
            return answer is not null && MethodOf(answer) == (10, 30);
        }
        catch (IOException)
        {
            return false; // the broker reset the connection: refused
        }
    }

    private static void WriteShortString(Stream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        stream.WriteByte((byte)bytes.Length);
        stream.Write(bytes);
    }

    private static (int Class, int Method) MethodOf(byte[] payload) =>
        (BinaryPrimitives.ReadUInt16BigEndian(payload), BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(2)));

    /// <summary>One frame's payload, or null when the broker closed the connection.</summary>
    private static async Task<byte[]?> ReadFrameAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var header = new byte[7];
        if (await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken) < header.Length)
        {
            return null;
        }
        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(3)) + 1];
        if (await stream.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, cancellationToken) < payload.Length)
        {
            return null;
        }
        return payload[..^1];
    }
}
