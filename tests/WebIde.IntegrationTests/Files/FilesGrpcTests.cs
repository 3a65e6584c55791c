using System.Net;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using WebIde.Contracts.FileSystem.V1;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// Filesystem's internal gRPC API on the service's own endpoint: who may call it, its
/// compare-and-swap, streaming a whole project, and that what it writes is the same file
/// (version, change event) that REST users see.
/// </summary>
public sealed class FilesGrpcTests
{
    // The contract's chunk size for ReadWorkspace.
    private const int ChunkBytes = 1024 * 1024;

    private static ByteString Text(string text) => ByteString.CopyFromUtf8(text);

    private static async Task<WriteFileResponse> WriteAsync(FileSystemGrpc grpc, string workspaceId, string path, string text, long? expectedVersion = null, string? userId = null)
    {
        var request = new WriteFileRequest { WorkspaceId = workspaceId, Path = path, Content = Text(text), UserId = userId ?? "" };
        if (expectedVersion is { } expected)
        {
            request.ExpectedVersion = expected;
        }
        return await grpc.Files.WriteFileAsync(request, await FileSystemGrpc.AsServiceAsync());
    }

    private static WriteFileRequest Item(string workspaceId, string path, string text, long? expectedVersion = null)
    {
        var request = new WriteFileRequest { WorkspaceId = workspaceId, Path = path, Content = Text(text) };
        if (expectedVersion is { } expected)
        {
            request.ExpectedVersion = expected;
        }
        return request;
    }

    /// <summary>An item's outcome as a status: OK for a write, else the status WriteFile would have failed with.</summary>
    private static StatusCode Outcome(WriteFileResult result) =>
        result.OutcomeCase == WriteFileResult.OutcomeOneofCase.Written ? StatusCode.OK : (StatusCode)result.Error.StatusCode;

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task ACallWithoutATokenIsUnauthenticated()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-anon");
        using var grpc = new FileSystemGrpc();
        var noToken = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30));

        var read = Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "README.md" }, noToken));
        var write = Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.Files.WriteFileAsync(new WriteFileRequest { WorkspaceId = workspace.Id, Path = "x.txt", Content = Text("x") }, noToken));
        var garbage = Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace.Id }, new CallOptions(FileSystemGrpc.Bearer("not.a.token"), DateTime.UtcNow.AddSeconds(30))));

        Assert.Multiple(() =>
        {
            Assert.That(read!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(write!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(garbage!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        });
        Assert.That((await workspace.TreeAsync()).Keys, Is.EquivalentTo(FileWorkspace.StarterFiles), "the refused write wrote nothing");
    }

    [Test]
    public async Task OfTwoConcurrentWritesOnOneVersionExactlyOneWins()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-cas");
        using var grpc = new FileSystemGrpc();
        var created = await WriteAsync(grpc, workspace.Id, "cas.txt", "start", expectedVersion: 0);
        Assert.That((created.Created, created.Version), Is.EqualTo((true, 1L)));

        // Several rounds: a single race may happen to be decided by arrival order alone.
        var version = created.Version;
        for (var round = 0; round < 10; round++)
        {
            var contenders = new[] { $"left {round}", $"right {round}" };
            var attempts = contenders.Select(text => Task.Run(async () =>
            {
                try
                {
                    return (Text: text, Status: StatusCode.OK, Answer: await WriteAsync(grpc, workspace.Id, "cas.txt", text, expectedVersion: version));
                }
                catch (RpcException error)
                {
                    return (Text: text, Status: error.StatusCode, Answer: (WriteFileResponse?)null);
                }
            })).ToArray();
            var outcomes = await Task.WhenAll(attempts);

            var winners = outcomes.Where(outcome => outcome.Status == StatusCode.OK).ToList();
            Assert.That(winners, Has.Count.EqualTo(1), $"round {round}: {string.Join(", ", outcomes.Select(outcome => outcome.Status))}");
            Assert.That(outcomes.Single(outcome => outcome.Status != StatusCode.OK).Status, Is.EqualTo(StatusCode.FailedPrecondition), $"round {round}");
            var winner = winners[0];
            Assert.That(winner.Answer!.Version, Is.EqualTo(version + 1), $"round {round}");

            var stored = await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "cas.txt" }, await FileSystemGrpc.AsServiceAsync());
            Assert.That((stored.Content.ToStringUtf8(), stored.Version), Is.EqualTo((winner.Text, version + 1)), $"round {round}: the winner's content");
            version = stored.Version;
        }
    }

    [Test]
    public async Task CreateOnlyRefusesAFileThatExistsAndLeavesIt()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-create");
        using var grpc = new FileSystemGrpc();
        await WriteAsync(grpc, workspace.Id, "once.txt", "first", expectedVersion: 0);

        var again = Assert.ThrowsAsync<RpcException>(async () => await WriteAsync(grpc, workspace.Id, "once.txt", "second", expectedVersion: 0));
        var starter = Assert.ThrowsAsync<RpcException>(async () => await WriteAsync(grpc, workspace.Id, FileWorkspace.StarterFiles[0], "over it", expectedVersion: 0));
        var staleVersion = Assert.ThrowsAsync<RpcException>(async () => await WriteAsync(grpc, workspace.Id, "once.txt", "third", expectedVersion: 7));
        var missingAtVersion = Assert.ThrowsAsync<RpcException>(async () => await WriteAsync(grpc, workspace.Id, "never.txt", "x", expectedVersion: 1));
        var stored = await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "once.txt" }, await FileSystemGrpc.AsServiceAsync());

        Assert.Multiple(() =>
        {
            Assert.That(again!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(starter!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(staleVersion!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(missingAtVersion!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That((stored.Content.ToStringUtf8(), stored.Version), Is.EqualTo(("first", 1L)));
        });
    }

    [Test]
    public async Task ReadFileAndListTreeShowWhatWasWritten()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-read");
        using var grpc = new FileSystemGrpc();
        var options = await FileSystemGrpc.AsServiceAsync();
        var content = RandomNumberGenerator.GetBytes(3000);
        var written = await grpc.Files.WriteFileAsync(new WriteFileRequest { WorkspaceId = workspace.Id, Path = "src/lib/data.bin", Content = ByteString.CopyFrom(content) }, options);
        await WriteAsync(grpc, workspace.Id, "src/lib/data.bin", "replaced");
        await grpc.Files.WriteFileAsync(new WriteFileRequest { WorkspaceId = workspace.Id, Path = "src/lib/data.bin", Content = ByteString.CopyFrom(content) }, options);

        var file = await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "src/lib/data.bin" }, options);
        var missing = Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "src/nothing.txt" }, options));
        var directory = Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "src/lib" }, options));
        var tree = (await grpc.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace.Id }, options)).Entries.ToDictionary(entry => entry.Path);

        Assert.Multiple(() =>
        {
            Assert.That((written.Created, written.Version, written.Size), Is.EqualTo((true, 1L, 3000L)));
            Assert.That(file.Content.ToByteArray(), Is.EqualTo(content));
            Assert.That(file.Version, Is.EqualTo(3));
            Assert.That(DateTimeOffset.FromUnixTimeMilliseconds(file.ModifiedAtUnixMs), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(2)));
            Assert.That(missing!.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(directory!.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(tree.Keys, Is.EquivalentTo(FileWorkspace.StarterFiles.Concat(["src", "src/lib", "src/lib/data.bin"])));
            Assert.That(tree.Keys, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(tree["src"].IsDirectory && tree["src/lib"].IsDirectory, Is.True);
            Assert.That((tree["src/lib/data.bin"].IsDirectory, tree["src/lib/data.bin"].Size, tree["src/lib/data.bin"].Version), Is.EqualTo((false, 3000L, 3L)));
            Assert.That(tree["src/lib/data.bin"].ModifiedAtUnixMs, Is.EqualTo(file.ModifiedAtUnixMs));
        });
    }

    [Test]
    public async Task ReadWorkspaceStreamsAMultiFileProjectThatReassemblesByteForByte()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-stream");
        using var grpc = new FileSystemGrpc();
        var options = await FileSystemGrpc.AsServiceAsync();
        var project = new Dictionary<string, byte[]>
        {
            // Two and a half chunks; and one of exactly one chunk, where an off-by-one would show.
            ["assets/big.bin"] = RandomNumberGenerator.GetBytes((5 * ChunkBytes / 2) + 17),
            ["assets/exact.bin"] = RandomNumberGenerator.GetBytes(ChunkBytes),
            ["empty.txt"] = [],
            ["pkg/__init__.py"] = Encoding.UTF8.GetBytes(""),
            ["pkg/util.py"] = Encoding.UTF8.GetBytes("def twice(x):\n    return 2 * x\n"),
            ["main.py"] = Encoding.UTF8.GetBytes("from pkg.util import twice\nprint(twice(21))\n"),
            ["README.md"] = Encoding.UTF8.GetBytes("# ünïcödé ✓\n"),
        };
        // README.md and main.py replace the starter project's: the stream must carry the new versions.
        var versions = new Dictionary<string, long>();
        foreach (var (path, content) in project)
        {
            versions[path] = (await grpc.Files.WriteFileAsync(new WriteFileRequest { WorkspaceId = workspace.Id, Path = path, Content = ByteString.CopyFrom(content) }, options)).Version;
        }

        var chunks = new List<WorkspaceFileChunk>();
        using (var call = grpc.Files.ReadWorkspace(new ReadWorkspaceRequest { WorkspaceId = workspace.Id }, options))
        {
            await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            {
                chunks.Add(chunk);
            }
        }

        // A file's chunks are consecutive; the stream is in path order.
        var files = new List<(string Path, List<WorkspaceFileChunk> Chunks)>();
        foreach (var chunk in chunks)
        {
            if (files.Count == 0 || files[^1].Path != chunk.Path || files[^1].Chunks[^1].Last)
            {
                files.Add((chunk.Path, []));
            }
            files[^1].Chunks.Add(chunk);
        }

        Assert.That(files.Select(file => file.Path), Is.EqualTo(project.Keys.Order(StringComparer.Ordinal)), "each file once, in path order");
        foreach (var (path, fileChunks) in files)
        {
            var expected = project[path];
            var reassembled = fileChunks.SelectMany(chunk => chunk.Data.ToByteArray()).ToArray();
            Assert.Multiple(() =>
            {
                Assert.That(reassembled, Is.EqualTo(expected), path);
                Assert.That(fileChunks.Count, Is.EqualTo(Math.Max(1, (expected.Length + ChunkBytes - 1) / ChunkBytes)), $"{path}: chunks");
                Assert.That(fileChunks.Select(chunk => chunk.Last), Is.EqualTo(fileChunks.Select((_, index) => index == fileChunks.Count - 1)), $"{path}: only the final chunk is last");
                Assert.That(fileChunks.Select(chunk => chunk.Offset), Is.EqualTo(fileChunks.Select((_, index) => (long)index * ChunkBytes)), $"{path}: offsets");
                Assert.That(fileChunks.All(chunk => chunk.Size == expected.Length && chunk.Version == versions[path] && chunk.Data.Length <= ChunkBytes), Is.True, $"{path}: size, version, chunk length");
            });
        }
        Assert.That(files.Single(file => file.Path == "assets/big.bin").Chunks, Has.Count.EqualTo(3));
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task AFileAtTheLimitTravelsWholeAndTheLimitsAreResourceExhausted()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-limits");
        using var grpc = new FileSystemGrpc();
        var options = await FileSystemGrpc.AsServiceAsync();
        var largest = RandomNumberGenerator.GetBytes((int)FileQuota.FileBytes);

        // Over gRPC's default 4 MiB: the client's larger receive limit is what lets it through.
        var written = await grpc.Files.WriteFileAsync(new WriteFileRequest { WorkspaceId = workspace.Id, Path = "big/one.bin", Content = ByteString.CopyFrom(largest) }, options);
        var read = await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "big/one.bin" }, options);
        var overFile = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.WriteFileAsync(
            new WriteFileRequest { WorkspaceId = workspace.Id, Path = "big/over.bin", Content = ByteString.CopyFrom(new byte[FileQuota.FileBytes + 1]) }, options));
        await grpc.Files.WriteFileAsync(new WriteFileRequest { WorkspaceId = workspace.Id, Path = "big/two.bin", Content = ByteString.CopyFrom(largest) }, options);
        var overWorkspace = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.WriteFileAsync(
            new WriteFileRequest { WorkspaceId = workspace.Id, Path = "big/three.bin", Content = ByteString.CopyFrom(largest) }, options));
        var tree = (await grpc.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace.Id }, options)).Entries.Select(entry => entry.Path);

        Assert.Multiple(() =>
        {
            Assert.That(written.Size, Is.EqualTo(FileQuota.FileBytes));
            Assert.That(read.Content.Length, Is.EqualTo(largest.Length));
            Assert.That(read.Content.Span.SequenceEqual(largest), Is.True, "the 5 MiB file, byte for byte");
            Assert.That(overFile!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted), "one byte over the file limit");
            Assert.That(overWorkspace!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted), "over the workspace's bytes");
            Assert.That(tree, Does.Not.Contain("big/over.bin").And.Not.Contain("big/three.bin"));
        });
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task AMalformedPathOrWorkspaceIdIsAnInvalidArgument()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-invalid");
        using var grpc = new FileSystemGrpc();
        var options = await FileSystemGrpc.AsServiceAsync();
        string[] badPaths = ["", "/etc/passwd", "../escape.txt", "src/../../x", "a//b", "a/./b", "trailing/", "back\\slash", "nul\u0000byte", new string('x', 256), string.Join('/', Enumerable.Repeat(new string('y', 200), 6))];
        string[] badIds = ["", "not-a-uuid", "../" + workspace.Id, workspace.Id + "x"];

        var statuses = new List<(string Case, StatusCode Status)>();
        async Task Expect(string name, Func<Task> call)
        {
            try
            {
                await call();
                statuses.Add((name, StatusCode.OK));
            }
            catch (RpcException error)
            {
                statuses.Add((name, error.StatusCode));
            }
        }

        foreach (var path in badPaths)
        {
            await Expect($"write '{path}'", async () => await grpc.Files.WriteFileAsync(new WriteFileRequest { WorkspaceId = workspace.Id, Path = path, Content = Text("x") }, options));
            await Expect($"read '{path}'", async () => await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = path }, options));
        }
        foreach (var id in badIds)
        {
            await Expect($"write in '{id}'", async () => await grpc.Files.WriteFileAsync(new WriteFileRequest { WorkspaceId = id, Path = "ok.txt", Content = Text("x") }, options));
            await Expect($"read in '{id}'", async () => await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = id, Path = "README.md" }, options));
            await Expect($"tree of '{id}'", async () => await grpc.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = id }, options));
            await Expect($"stream of '{id}'", async () =>
            {
                using var call = grpc.Files.ReadWorkspace(new ReadWorkspaceRequest { WorkspaceId = id }, options);
                await call.ResponseStream.MoveNext(CancellationToken.None);
            });
        }
        await Expect("user_id not a UUID", async () => await grpc.Files.WriteFileAsync(new WriteFileRequest { WorkspaceId = workspace.Id, Path = "ok.txt", Content = Text("x"), UserId = "someone" }, options));
        await Expect("negative expected_version", async () => await WriteAsync(grpc, workspace.Id, "ok.txt", "x", expectedVersion: -1));

        Assert.That(statuses.Where(status => status.Status != StatusCode.InvalidArgument), Is.Empty);
        Assert.That((await workspace.TreeAsync()).Keys, Is.EquivalentTo(FileWorkspace.StarterFiles), "nothing was written");
    }

    [Test]
    public async Task AWriteOnBehalfOfAUserIsSeenThroughRestAndInTheChangeStream()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-rest");
        using var grpc = new FileSystemGrpc();
        await using var stream = await ChangeStream.OpenAsync(workspace);

        var first = await WriteAsync(grpc, workspace.Id, "notes/from-grpc.txt", "one", userId: workspace.UserId);
        var second = await WriteAsync(grpc, workspace.Id, "notes/from-grpc.txt", "two", expectedVersion: first.Version, userId: workspace.UserId);
        var created = await stream.NextAsync(data => data.GetProperty("path").GetString() == "notes/from-grpc.txt", TimeSpan.FromSeconds(30));
        var changed = await stream.NextAsync(data => data.GetProperty("path").GetString() == "notes/from-grpc.txt", TimeSpan.FromSeconds(30));
        using var read = await workspace.GetAsync("notes/from-grpc.txt");
        var text = await read.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(text, Is.EqualTo("two"));
            Assert.That(read.Headers.ETag?.Tag, Is.EqualTo($"\"{second.Version}\""));
            Assert.That(second.Version, Is.EqualTo(2));

            Assert.That(created.Data.GetProperty("type").GetString(), Is.EqualTo("created"));
            Assert.That(created.Data.GetProperty("version").GetInt64(), Is.EqualTo(1));
            Assert.That(created.Data.GetProperty("userId").GetString(), Is.EqualTo(workspace.UserId));
            Assert.That(changed.Data.GetProperty("type").GetString(), Is.EqualTo("changed"));
            Assert.That(changed.Data.GetProperty("version").GetInt64(), Is.EqualTo(2));
            Assert.That(changed.Data.GetProperty("userId").GetString(), Is.EqualTo(workspace.UserId));
            Assert.That(changed.Id, Is.GreaterThan(created.Id), "event ids grow");
            Assert.That(changed.Data.GetProperty("sequence").GetInt64(), Is.EqualTo(changed.Id));
        });
    }

    [Test]
    public async Task ADeletedWorkspacesFilesAreGoneForServicesToo()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-deleted");
        using var grpc = new FileSystemGrpc();
        var options = await FileSystemGrpc.AsServiceAsync();
        // Written, then read: a small file is in the shared cache both ways.
        await WriteAsync(grpc, workspace.Id, "notes.txt", "soon gone");
        await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "notes.txt" }, options);

        using (var deleted = await workspace.Client.SendAsync(Identity.Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{workspace.Id}", workspace.AccessToken)))
        {
            deleted.EnsureSuccessStatusCode();
        }
        // Filesystem hears of the deletion over the bus: its store empties first.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await grpc.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace.Id }, await FileSystemGrpc.AsServiceAsync())).Entries.Count > 0)
        {
            await Task.Delay(100, deadline.Token);
        }

        var notes = Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "notes.txt" }, await FileSystemGrpc.AsServiceAsync()));
        var starter = Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = FileWorkspace.StarterFiles[0] }, await FileSystemGrpc.AsServiceAsync()));

        Assert.Multiple(() =>
        {
            Assert.That(notes!.StatusCode, Is.EqualTo(StatusCode.NotFound), "a file the tree no longer lists");
            Assert.That(starter!.StatusCode, Is.EqualTo(StatusCode.NotFound), "a starter file the tree no longer lists");
        });
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task AUsersOwnTokenIsHeldToTheirRole()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-roles");
        var viewer = await workspace.AddMemberAsync("viewer");
        var editor = await workspace.AddMemberAsync("editor");
        var stranger = await workspace.AddMemberAsync(null);
        using var grpc = new FileSystemGrpc();
        await using var stream = await ChangeStream.OpenAsync(workspace);

        var read = await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "README.md" }, FileSystemGrpc.AsUser(viewer));
        var tree = await grpc.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace.Id }, FileSystemGrpc.AsUser(viewer));
        var streamed = 0;
        using (var call = grpc.Files.ReadWorkspace(new ReadWorkspaceRequest { WorkspaceId = workspace.Id }, FileSystemGrpc.AsUser(viewer)))
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
                streamed++;
            }
        }
        var viewerWrite = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.WriteFileAsync(
            new WriteFileRequest { WorkspaceId = workspace.Id, Path = "viewer.txt", Content = Text("no") }, FileSystemGrpc.AsUser(viewer)));
        var strangerRead = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.ReadFileAsync(
            new ReadFileRequest { WorkspaceId = workspace.Id, Path = "README.md" }, FileSystemGrpc.AsUser(stranger)));
        var strangerWrite = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.WriteFileAsync(
            new WriteFileRequest { WorkspaceId = workspace.Id, Path = "stranger.txt", Content = Text("no") }, FileSystemGrpc.AsUser(stranger)));
        var strangerTree = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.ListTreeAsync(
            new ListTreeRequest { WorkspaceId = workspace.Id }, FileSystemGrpc.AsUser(stranger)));
        var unknownWorkspace = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.ReadFileAsync(
            new ReadFileRequest { WorkspaceId = Guid.NewGuid().ToString(), Path = "README.md" }, FileSystemGrpc.AsUser(viewer)));

        // An editor's token acts as the editor, whatever user_id it claims.
        var impersonated = await grpc.Files.WriteFileAsync(
            new WriteFileRequest { WorkspaceId = workspace.Id, Path = "editor.txt", Content = Text("yes"), UserId = workspace.UserId }, FileSystemGrpc.AsUser(editor));
        var editorId = Identity.Jwt.Decode(editor).Payload.GetProperty("sub").GetString();
        var announced = await stream.NextAsync(data => data.GetProperty("path").GetString() == "editor.txt", TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(read.Content.Length, Is.GreaterThan(0));
            Assert.That(tree.Entries.Select(entry => entry.Path), Is.SupersetOf(FileWorkspace.StarterFiles));
            Assert.That(streamed, Is.EqualTo(FileWorkspace.StarterFiles.Length));
            Assert.That(viewerWrite!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(strangerRead!.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(strangerWrite!.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(strangerTree!.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(unknownWorkspace!.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(impersonated.Created, Is.True);
            Assert.That(announced.Data.GetProperty("userId").GetString(), Is.EqualTo(editorId));
        });
        Assert.That((await workspace.TreeAsync()).Keys, Has.No.Member("viewer.txt").And.No.Member("stranger.txt"));
    }

    [Test]
    public async Task WriteFilesAnswersEachItemInOrderAndWritesTheOthersOfARefusedOne()
    {
        using var first = await FileWorkspace.CreateAsync("grpc-batch");
        using var second = await FileWorkspace.CreateAsync("grpc-batch-2");
        using var grpc = new FileSystemGrpc();
        var options = await FileSystemGrpc.AsServiceAsync();
        var readme = await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = first.Id, Path = "README.md" }, options);

        var results = (await grpc.Files.WriteFilesAsync(new WriteFilesRequest
        {
            Files =
            {
                Item(first.Id, "notes/a.txt", "a", expectedVersion: 0),
                Item(first.Id, "README.md", "stale", expectedVersion: readme.Version + 5),
                Item(second.Id, "b.txt", "b"),
                Item(first.Id, "README.md", "fresh", expectedVersion: readme.Version),
                // After the item before it: the file is one version further now.
                Item(first.Id, "README.md", "fresher", expectedVersion: readme.Version + 1),
                Item(first.Id, "../escape.txt", "x"),
                Item(first.Id, "notes/c.txt", "c"),
            },
        }, options)).Results;

        var tree = await first.TreeAsync();
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(Outcome), Is.EqualTo(new[]
            {
                StatusCode.OK, StatusCode.FailedPrecondition, StatusCode.OK, StatusCode.OK, StatusCode.OK, StatusCode.InvalidArgument, StatusCode.OK,
            }));
            Assert.That(results.Where(result => result.Written is not null).Select(result => (result.Written.Path, result.Written.Version, result.Written.Created)), Is.EqualTo(new[]
            {
                ("notes/a.txt", 1L, true), ("b.txt", 1L, true), ("README.md", readme.Version + 1, false), ("README.md", readme.Version + 2, false), ("notes/c.txt", 1L, true),
            }));
            Assert.That(results[1].Error.Detail, Is.Not.Empty);
            Assert.That(tree.Keys, Is.SupersetOf(new[] { "notes", "notes/a.txt", "notes/c.txt" }).And.No.Member("../escape.txt"));
        });
        Assert.That(await first.ReadBytesAsync("README.md"), Is.EqualTo(Encoding.UTF8.GetBytes("fresher")));
        Assert.That(await second.ReadBytesAsync("b.txt"), Is.EqualTo(Encoding.UTF8.GetBytes("b")));
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task WriteFilesHoldsAUsersTokenToTheirRoleInEachWorkspace()
    {
        using var edited = await FileWorkspace.CreateAsync("grpc-batch-edit");
        using var viewed = await FileWorkspace.CreateAsync("grpc-batch-view");
        using var foreign = await FileWorkspace.CreateAsync("grpc-batch-foreign");
        var (username, tokens) = await Accounts.SignedInUserAsync(edited.Client, "batcher");
        await edited.ShareAsync(username, "editor");
        await viewed.ShareAsync(username, "viewer");
        using var grpc = new FileSystemGrpc();

        var results = (await grpc.Files.WriteFilesAsync(new WriteFilesRequest
        {
            Files =
            {
                Item(edited.Id, "one.txt", "1"),
                Item(viewed.Id, "no.txt", "viewer"),
                Item(foreign.Id, "no.txt", "stranger"),
                Item(edited.Id, "two.txt", "2"),
            },
        }, FileSystemGrpc.AsUser(tokens.Access()))).Results;

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(Outcome), Is.EqualTo(new[] { StatusCode.OK, StatusCode.PermissionDenied, StatusCode.NotFound, StatusCode.OK }));
            Assert.That(results.Where(result => result.Written is not null).Select(result => result.Written.Path), Is.EqualTo(new[] { "one.txt", "two.txt" }));
        });
        Assert.That((await viewed.TreeAsync()).Keys, Is.EquivalentTo(FileWorkspace.StarterFiles));
        Assert.That((await foreign.TreeAsync()).Keys, Is.EquivalentTo(FileWorkspace.StarterFiles));
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task WriteFilesTakesAtMost256ItemsAndAnswersNoneWithNone()
    {
        using var workspace = await FileWorkspace.CreateAsync("grpc-batch-limit");
        using var grpc = new FileSystemGrpc();
        var options = await FileSystemGrpc.AsServiceAsync();
        var tooMany = new WriteFilesRequest { Files = { Enumerable.Range(0, 257).Select(index => Item(workspace.Id, $"many/{index}.txt", "x")) } };

        var refused = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.WriteFilesAsync(tooMany, options));
        var none = await grpc.Files.WriteFilesAsync(new WriteFilesRequest(), options);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(none.Results, Is.Empty);
            Assert.That((await workspace.TreeAsync()).Keys, Is.EquivalentTo(FileWorkspace.StarterFiles), "nothing of the refused call was written");
        });
    }
}
