namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>
/// Links a program makes in its scratch disk lead only into its own container (the class of
/// Judge0's CVE-2024-28185), and nothing a run leaves behind is seen by the next one.
/// </summary>
[Order(8)]
public sealed class SymlinkEscapeTests
{
    private AbuseWorkspace _workspace = null!;
    private string _canaryFolder = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync()
    {
        _workspace = await AbuseWorkspace.CreateAsync("symlink");
        _canaryFolder = Directory.CreateTempSubdirectory("webide-canary-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_canaryFolder, "secret.txt"), "HOST-CANARY-SECRET");
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _workspace.Dispose();
        Directory.Delete(_canaryFolder, recursive: true);
    }

    [Test]
    public async Task LinksOutOfTheScratchDiskShowOnlyTheContainersOwnFiles()
    {
        var canary = Path.Combine(_canaryFolder, "secret.txt");
        var probe = await _workspace.RunAsync("links.py", AbuseWorkspace.PythonPrelude + $$"""
            import errno, os
            targets = {
                "shadow": "/etc/shadow",
                "climb": "../../../../../../etc/shadow",
                "pid1root": "/proc/1/root/etc/hostname",
                "pid1sock": "/proc/1/root/var/run/docker.sock",
                "docker": "/var/run/docker.sock",
                "canary": "{{canary}}",
                "datadir": "{{Platform.DataDir}}",
                "repo": "{{Platform.RepositoryRoot}}/WebIde.sln",
                "hostroot": "/proc/1/root/../../../../{{canary}}",
                "selfroot": "/proc/self/root/../../../..{{canary}}",
                "selfhost": "/proc/self/root/etc/hostname",
            }
            for name, target in targets.items():
                link = "/sandbox/link-" + name
                os.symlink(target, link)
                try:
                    if os.path.isdir(link):
                        print(name, "DIRECTORY", sorted(os.listdir(link))[:5])
                    else:
                        with open(link, "rb") as f:
                            print(name, "READ", f.read(200))
                except OSError as error:
                    print(name, "refused", errno.errorcode[error.errno])
            print("links left in /sandbox:", len([n for n in os.listdir("/sandbox") if n.startswith("link-")]))
            """);

        var lines = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
            Assert.That(lines, Is.EqualTo(new[]
            {
                "shadow refused EACCES",
                "climb refused EACCES",
                // PID 1 is the jail's init (bwrap), whose root is the jail's own: the image, read-only.
                "pid1root READ b'sandbox\\n'",
                "pid1sock refused ENOENT",
                "docker refused ENOENT",
                "canary refused ENOENT",
                "datadir refused ENOENT",
                "repo refused ENOENT",
                "hostroot refused ENOENT",
                "selfroot refused ENOENT",
                // A program's own root is the container's: its hostname file, not the host's.
                "selfhost READ b'sandbox\\n'",
                "links left in /sandbox: 11",
            }), probe.ToString());
            Assert.That(probe.Stdout, Does.Not.Contain("HOST-CANARY-SECRET"));
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task ASecondRunSeesNoneOfWhatTheFirstLeftBehind()
    {
        var marker = $"marker-{Guid.NewGuid():N}";
        var first = await _workspace.RunAsync("leave.py", AbuseWorkspace.PythonPrelude + $$"""
            import os
            for folder in ["/sandbox", "/sandbox/.webide/tmp", "/sandbox/.webide/home", "/dev/shm"]:
                path = os.path.join(folder, "{{marker}}")
                with open(path, "w") as f:
                    f.write("left behind")
                print("wrote", path)
            os.symlink("/etc/passwd", "/sandbox/{{marker}}-link")
            print("linked", os.path.islink("/sandbox/{{marker}}-link"))
            """);
        var second = await _workspace.RunAsync("look.py", AbuseWorkspace.PythonPrelude + $$"""
            import os
            found = []
            for folder in ["/sandbox", "/dev/shm", "/tmp"]:
                for root, dirs, files in os.walk(folder):
                    found += [os.path.join(root, name) for name in files + dirs if name.startswith("marker-")]
            print("markers:", found)
            print("workspace files:", sorted(n for n in os.listdir("/sandbox") if not n.startswith(".")))
            """);

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo("ok"), first.ToString());
            Assert.That(first.Stdout, Does.Contain($"wrote /dev/shm/{marker}").And.Contain("linked True"), first.ToString());
            Assert.That(second.Status, Is.EqualTo("ok"), second.ToString());
            Assert.That(second.Stdout, Does.Contain("markers: []\n"), second.ToString());
            Assert.That(second.Stdout, Does.Not.Contain(marker));
            Assert.That(AbuseWorkspace.ContainerOf(second.Stdout), Is.EqualTo(AbuseWorkspace.ContainerOf(first.Stdout)),
                "the user's container served both runs: the first run's files are gone though the container is the same");
        });
    }
}
