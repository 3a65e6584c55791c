using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using WebIde.Contracts.FileSystem.V1;
using WebIde.FileSystem.Events;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Grpc;
using WebIde.FileSystem.UnitTests.Files;
using WebIde.ServiceDefaults.Authorization;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Grpc;

/// <summary>
/// WriteFiles through the gRPC pipeline: each item answered as WriteFile answers the same
/// request, in the items' order, with one role check per workspace and user, and each
/// workspace's part cached and announced as one.
/// </summary>
public sealed class WriteFilesTests
{
    private static readonly FileLimits Limits = new() { MaxFileBytes = 1_000 };

    private LocalRedis _redis = null!;
    private FilesServiceHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _redis = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed here.");
        _host = await FilesServiceHost.StartAsync(_redis, Limits);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Test]
    public async Task EachItemIsAnsweredAsWriteFileAnswersItInTheItemsOrder()
    {
        var first = Guid.NewGuid().ToString();
        var second = Guid.NewGuid().ToString();
        var service = FilesServiceHost.AsService();
        await _host.Files.WriteFileAsync(Item(first, "edited.txt", "v1"), service);
        await _host.Files.WriteFileAsync(Item(first, "dir/inner.txt", "x"), service);
        WriteFileRequest[] items =
        [
            Item(first, "new.txt", "new"),
            Item(first, "edited.txt", "v2", expectedVersion: 1, userId: Guid.NewGuid().ToString()),
            Item(second, "other.txt", "elsewhere"),
            Item(first, "../escape.txt", "x"),
            Item("not-a-uuid", "x.txt", "x"),
            Item(first, "negative.txt", "x", expectedVersion: -1),
            Item(first, "big.bin", new string('z', (int)Limits.MaxFileBytes + 1)),
            Item(first, "dir", "a directory stands here"),
            Item(first, "x.txt", "x", userId: "someone"),
            // After the second item: it sees version 2.
            Item(first, "edited.txt", "stale", expectedVersion: 1),
            Item(first, "missing.txt", "x", expectedVersion: 1),
        ];

        var results = await WriteFilesAsync(service, items);

        Assert.That(results, Has.Count.EqualTo(items.Length));
        // The refused items changed nothing, so WriteFile refuses them now in the same words.
        var singles = new List<WriteFileError?>();
        foreach (var refused in items.Skip(3))
        {
            singles.Add(await WriteFileErrorAsync(refused, service));
        }
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(result => result.OutcomeCase), Is.EqualTo(new[]
            {
                WriteFileResult.OutcomeOneofCase.Written, WriteFileResult.OutcomeOneofCase.Written, WriteFileResult.OutcomeOneofCase.Written,
            }.Concat(Enumerable.Repeat(WriteFileResult.OutcomeOneofCase.Error, items.Length - 3))));
            Assert.That(results.Take(3).Select(result => (result.Written.Path, result.Written.Version, result.Written.Size, result.Written.Created)), Is.EqualTo(new[]
            {
                ("new.txt", 1L, 3L, true), ("edited.txt", 2L, 2L, false), ("other.txt", 1L, 9L, true),
            }));
            Assert.That(results.Skip(3).Select(result => (StatusCode)result.Error.StatusCode), Is.EqualTo(new[]
            {
                StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.ResourceExhausted,
                StatusCode.AlreadyExists, StatusCode.InvalidArgument, StatusCode.FailedPrecondition, StatusCode.FailedPrecondition,
            }));
            Assert.That(results.Skip(3).Select(result => result.Error), Is.EqualTo(singles));
            Assert.That(results[^2].Error.Detail, Does.Contain("version 2"));
        });
    }

    [Test]
    public async Task AUsersTokenIsHeldToItsRoleCheckedOncePerWorkspace()
    {
        var user = Guid.NewGuid();
        var edited = Guid.NewGuid();
        var viewed = Guid.NewGuid();
        var foreign = Guid.NewGuid();
        _host.Roles.Set(edited, user, WorkspaceRole.Editor);
        _host.Roles.Set(viewed, user, WorkspaceRole.Viewer);
        var asked = _host.Roles.Asked;

        var results = await WriteFilesAsync(FilesServiceHost.As(user.ToString()),
            Item(edited, "a.txt", "a"), Item(viewed, "b.txt", "b"), Item(foreign, "c.txt", "c"),
            Item(edited, "d.txt", "d"), Item(viewed, "e.txt", "e"), Item(foreign, "f.txt", "f"));

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(result => result.OutcomeCase == WriteFileResult.OutcomeOneofCase.Written ? StatusCode.OK : (StatusCode)result.Error.StatusCode), Is.EqualTo(new[]
            {
                StatusCode.OK, StatusCode.PermissionDenied, StatusCode.NotFound, StatusCode.OK, StatusCode.PermissionDenied, StatusCode.NotFound,
            }));
            Assert.That(results.Where(result => result.Written is not null).Select(result => result.Written.Path), Is.EqualTo(new[] { "a.txt", "d.txt" }));
            Assert.That(_host.Roles.Asked - asked, Is.EqualTo(3), "one role check per workspace");
        });
    }

    [Test]
    public async Task AtMost256ItemsPerCallAndNoneAnswersNone()
    {
        var workspace = Guid.NewGuid();
        var service = FilesServiceHost.AsService();
        var tooMany = new WriteFilesRequest { Files = { Enumerable.Range(0, FilesLimits.MaxWritesPerCall + 1).Select(index => Item(workspace, $"too-many/{index}.txt", "x")) } };
        var most = new WriteFilesRequest { Files = { Enumerable.Range(0, FilesLimits.MaxWritesPerCall).Select(index => Item(workspace, $"most/{index}.txt", "x")) } };

        var refused = Assert.ThrowsAsync<RpcException>(async () => await _host.Files.WriteFilesAsync(tooMany, service));
        var written = await _host.Files.WriteFilesAsync(most, service);
        var none = await _host.Files.WriteFilesAsync(new WriteFilesRequest(), service);
        var tree = await _host.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace.ToString() }, service);

        Assert.Multiple(() =>
        {
            Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(written.Results.Select(result => result.Written?.Path), Is.EqualTo(most.Files.Select(item => item.Path)));
            Assert.That(none.Results, Is.Empty);
            Assert.That(tree.Entries.Where(entry => !entry.IsDirectory).Select(entry => entry.Path), Has.All.StartsWith("most/"));
        });
    }

    [Test]
    public async Task EachWorkspacesWritesAreCachedAndAnnouncedOnce()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var marker = Guid.NewGuid();
        var service = FilesServiceHost.AsService();
        var announced = new List<Guid>();
        var markerHeard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = _redis.Connection.GetSubscriber();
        await subscriber.SubscribeAsync(ChangeFeed.Channel, (_, message) =>
        {
            var workspace = Guid.Parse(message.ToString());
            lock (announced)
            {
                announced.Add(workspace);
            }
            if (workspace == marker)
            {
                markerHeard.TrySetResult();
            }
        });
        try
        {
            var results = await WriteFilesAsync(service,
                Item(first, "a.txt", "a"), Item(second, "b.txt", "b"), Item(first, "c.txt", "c"), Item(first, "a.txt", "a again"), Item(second, "d.txt", "d"));
            // Announcements of one connection arrive in order: once the marker's is here, the batch's are too.
            await _host.Files.WriteFileAsync(Item(marker, "marker.txt", "m"), service);
            await markerHeard.Task.WaitAsync(TimeSpan.FromSeconds(10));

            var cache = new FileCache(_redis.Connection, FileSystemInstance.Cipher, NullLogger<FileCache>.Instance);
            var cached = new List<(string Path, long? Version)>();
            foreach (var (workspace, path) in new[] { (first, "a.txt"), (second, "b.txt"), (first, "c.txt"), (second, "d.txt") })
            {
                var (file, _) = await cache.GetAsync(workspace, path);
                cached.Add((path, file?.Version));
            }

            Assert.Multiple(() =>
            {
                Assert.That(results.Select(result => result.Written?.Version), Is.EqualTo(new long?[] { 1, 1, 1, 2, 1 }));
                Assert.That(announced, Is.EquivalentTo(new[] { first, second, marker }), "one announcement per workspace");
                Assert.That(cached, Is.EqualTo(new (string, long?)[] { ("a.txt", 2), ("b.txt", 1), ("c.txt", 1), ("d.txt", 1) }));
            });
        }
        finally
        {
            await subscriber.UnsubscribeAsync(ChangeFeed.Channel);
        }
    }

    private async Task<IReadOnlyList<WriteFileResult>> WriteFilesAsync(CallOptions options, params WriteFileRequest[] items) =>
        (await _host.Files.WriteFilesAsync(new WriteFilesRequest { Files = { items } }, options)).Results;

    private static WriteFileRequest Item(Guid workspaceId, string path, string text) => Item(workspaceId.ToString(), path, text);

    private static WriteFileRequest Item(string workspaceId, string path, string text, long? expectedVersion = null, string userId = "")
    {
        var request = new WriteFileRequest { WorkspaceId = workspaceId, Path = path, Content = ByteString.CopyFromUtf8(text), UserId = userId };
        if (expectedVersion is { } expected)
        {
            request.ExpectedVersion = expected;
        }
        return request;
    }

    /// <summary>What WriteFile answers the request with, as WriteFiles would put it; null when it writes.</summary>
    private async Task<WriteFileError?> WriteFileErrorAsync(WriteFileRequest request, CallOptions options)
    {
        try
        {
            await _host.Files.WriteFileAsync(request, options);
            return null;
        }
        catch (RpcException refused)
        {
            return new WriteFileError { StatusCode = (int)refused.StatusCode, Detail = refused.Status.Detail };
        }
    }
}
