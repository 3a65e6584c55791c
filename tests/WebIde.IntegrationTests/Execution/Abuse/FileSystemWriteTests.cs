namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>The scratch disk fills up without harm, and nothing outside it can be written at all.</summary>
[Order(5)]
public sealed class FileSystemWriteTests
{
    private AbuseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync() => _workspace = await AbuseWorkspace.CreateAsync("diskfill");

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    [Test]
    public async Task FillingTheScratchDiskEndsInAnErrorTheProgramSeesAtAbout64MiB()
    {
        var fill = await _workspace.RunAsync("fill.py", AbuseWorkspace.PythonPrelude + """
            import errno, os
            block = b"\0" * (1 << 20)
            written = 0
            try:
                with open("/sandbox/fill.bin", "wb", buffering=0) as f:
                    while True:
                        written += f.write(block)
            except OSError as error:
                print("stopped after", written >> 20, "MiB:", errno.errorcode[error.errno], flush=True)
            try:
                with open("/sandbox/more.txt", "w") as f:
                    f.write("x" * 65536)
                print("more written")
            except OSError as error:
                print("more refused:", errno.errorcode[error.errno])
            os.remove("/sandbox/fill.bin")
            with open("/sandbox/after.txt", "w") as f:
                f.write("room again")
            print("after removing:", open("/sandbox/after.txt").read())
            """);

        Assert.Multiple(() =>
        {
            Assert.That(fill.Status, Is.EqualTo("ok"), fill.ToString());
            Assert.That(fill.Stdout, Does.Match(@"stopped after (4\d|5\d|6[0-4]) MiB: (ENOSPC|EFBIG)"), fill.ToString());
            Assert.That(fill.Stdout, Does.Contain("more refused: ENOSPC"), fill.ToString());
            Assert.That(fill.Stdout, Does.Contain("after removing: room again"), fill.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task PistonsDiskFillNeedsItsOutputInMemoryFirstAndWithRoomForItGetsNoSpaceLeft()
    {
        // Piston's fallocate exploit: a 218 MB string, encoded whole (as much again) before a byte is written.
        const string Source = "with open('beans', 'w') as f:\n    f.write('I love beans\\n' * 2**24)\n";
        var asPasted = await _workspace.RunAsync("beans.py", AbuseWorkspace.PythonPrelude + Source);
        var withRoom = await _workspace.RunEntryAsync("beans.py", new { memoryMb = 1024 });

        Assert.Multiple(() =>
        {
            Assert.That(asPasted.Status, Is.EqualTo("memory_limit"), "256 MiB hold neither copy and the disk: " + asPasted);
            Assert.That(withRoom.Status, Is.EqualTo("runtime_error"), withRoom.ToString());
            Assert.That(withRoom.Stderr, Does.Contain("No space left on device"), "the 64 MiB scratch disk is what stops it: " + withRoom);
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task AProgramThatDoesNotHandleAFullDiskEndsAsARuntimeError()
    {
        var fill = await _workspace.RunAsync("fill.sh", AbuseWorkspace.BashPrelude + """
            set -e
            head -c 200000000 /dev/zero > /sandbox/fill.bin
            echo "wrote 200 MB"
            """);

        Assert.Multiple(() =>
        {
            Assert.That(fill.Status, Is.EqualTo("runtime_error"), fill.ToString());
            Assert.That(fill.Stdout, Does.Not.Contain("wrote 200 MB"));
            Assert.That(fill.Stderr, Does.Contain("No space left on device").Or.Contain("File too large"), fill.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task NothingOutsideTheScratchDiskAndTheJailsOwnTmpCanBeWritten()
    {
        // /tmp is a tmpfs of the run's own jail (and /dev/shm): written here, gone with the run.
        var probe = await _workspace.RunAsync("probe.py", AbuseWorkspace.PythonPrelude + """
            import errno, os
            for folder in ["/", "/etc", "/usr", "/usr/bin", "/var/tmp", "/home", "/home/runner", "/root", "/opt", "/run"]:
                path = os.path.join(folder, "webide-probe")
                try:
                    with open(path, "w") as f:
                        f.write("escaped")
                    print(folder, "WRITTEN")
                except OSError as error:
                    print(folder, "refused", errno.errorcode[error.errno])
            for existing in ["/etc/passwd", "/usr/bin/python3", "/etc/hosts"]:
                try:
                    with open(existing, "a") as f:
                        f.write("escaped")
                    print(existing, "WRITTEN")
                except OSError as error:
                    print(existing, "refused", errno.errorcode[error.errno])
            with open("/tmp/inside.txt", "w") as f:
                f.write("fine")
            print("/tmp", "written")
            with open("/sandbox/inside.txt", "w") as f:
                f.write("fine")
            print("/sandbox", "written")
            """);

        Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
        var lines = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(15), probe.ToString());
            Assert.That(lines.Take(13), Has.All.Match(@" refused (EROFS|EACCES|EPERM)$"), probe.ToString());
            Assert.That(lines[^2], Is.EqualTo("/tmp written"), "the jail's own /tmp");
            Assert.That(lines[^1], Is.EqualTo("/sandbox written"), "the scratch disk itself is writable, so the refusals are not a broken sandbox");
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }
}
