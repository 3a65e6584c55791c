using Docker.DotNet;
using Docker.DotNet.Models;

namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>
/// A user's container serves their next run: each attack below runs as run N, then a probe as run N+1
/// for the same user and for another user. What run N left (processes, files, ports, IPC objects) is
/// gone in run N+1 though it is the same container; a run that hit a limit retires its container; and
/// another user never gets a container this user has used. The user here has one container at a time
/// (a run at a time), so their next run is served by the very container the attack ran in.
/// </summary>
[Order(11)]
public sealed class ContainerReuseTests
{
    private static readonly TimeSpan RemovalDeadline = TimeSpan.FromSeconds(30);

    private AbuseWorkspace _user = null!;
    private AbuseWorkspace _other = null!;
    private DockerClient _docker = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspacesAsync()
    {
        _user = await AbuseWorkspace.CreateAsync("reuse");
        _other = await AbuseWorkspace.CreateAsync("reuse-other");
        _docker = new DockerClientConfiguration(new Uri("unix:///var/run/docker.sock")).CreateClient();
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _user.Dispose();
        _other.Dispose();
        _docker.Dispose();
    }

    [Test]
    public async Task ACleanRunsContainerServesTheSameUsersNextRunAndNoOneElses()
    {
        var first = await _user.RunAsync("hello.py", AbuseWorkspace.PythonPrelude + "print('hello')\n");
        var second = await _user.RunEntryAsync("hello.py");
        var other = await _other.RunAsync("hello.py", AbuseWorkspace.PythonPrelude + "print('hello')\n");

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo("ok"), first.ToString());
            Assert.That(ContainerOf(second), Is.EqualTo(ContainerOf(first)), "the user's next run is served by their container");
            Assert.That(_user.SandboxesUsed, Does.Not.Contain(ContainerOf(other)), "another user's run never gets it");
        });
    }

    [Test]
    public async Task ABackgroundProcessAndADoubleForkAreGoneBeforeTheNextRun()
    {
        var attack = await _user.RunAsync("leave-processes.py", AbuseWorkspace.PythonPrelude + """
            import os, subprocess, time
            subprocess.Popen("setsid nohup sleep 300 > /dev/null 2>&1 &", shell=True)
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(300)
                os._exit(0)
            time.sleep(0.2)
            print("left", flush=True)
            """);

        Assert.That(attack.Status, Is.EqualTo("ok"), attack.ToString());
        var container = ContainerOf(attack);
        // Besides the agent, only the jail it built for the next run (bwrap, the jail's init, its shell) may be there.
        var processes = await ProcessesOfAsync(container);
        var left = processes?.Where(command => !command.StartsWith("python3 -I -S -c", StringComparison.Ordinal)
            && !command.StartsWith("/usr/bin/bwrap ", StringComparison.Ordinal) && command != "/bin/sh /proc/self/fd/3").ToList();
        Assert.That(left, Is.Null.Or.Empty, $"nothing of the run is left in the container: {string.Join("; ", left ?? [])}");
        Assert.That(processes, Is.Null.Or.Count.InRange(1, 4), "the agent and at most the next run's jail");

        var (same, _) = await ProbeAsync("probe-processes.py", """
            import os
            print("processes", sorted(int(name) for name in os.listdir("/proc") if name.isdigit()))
            """);
        Assert.Multiple(() =>
        {
            Assert.That(ContainerOf(same), Is.EqualTo(container), "the container was clean, so it serves the next run");
            Assert.That(same.Stdout, Does.Contain("processes [1, 2]\n"), "the jail's init and the program, nothing else");
        });
    }

    [Test]
    public async Task FilesEverywhereTheRunCouldWriteAreGoneAndTheScratchQuotaIsWholeAgain()
    {
        var attack = await _user.RunAsync("leave-files.py", AbuseWorkspace.PythonPrelude + """
            import os, site, sys
            home = os.environ["HOME"]
            os.makedirs("planted-dir/inner")
            open("planted-dir/inner/file", "w").write("x")
            os.chmod("planted-dir/inner", 0)
            os.chmod("planted-dir", 0)
            os.symlink("/etc/passwd", "planted-link")
            with open("planted-big", "wb") as f:
                f.write(b"x" * (32 << 20))
            open(os.path.join(home, ".bashrc"), "w").write("echo PWNED-BASHRC\n")
            user_site = site.getusersitepackages()
            os.makedirs(user_site)
            open(os.path.join(user_site, "evil.pth"), "w").write("import sys; print('PWNED-PTH')\n")
            open(os.path.join(os.environ["TMPDIR"], "planted"), "w").write("x")
            open("/tmp/planted", "w").write("x")
            open("/dev/shm/planted", "w").write("x")
            print("planted", flush=True)
            """);

        Assert.That(attack.Status, Is.EqualTo("ok"), attack.ToString());
        var (same, other) = await ProbeAsync("probe-files.py", """
            import os, site
            home = os.environ["HOME"]
            paths = ["planted-dir", "planted-link", "planted-big", os.path.join(home, ".bashrc"),
                     os.path.join(site.getusersitepackages(), "evil.pth"), os.path.join(os.environ["TMPDIR"], "planted"),
                     "/tmp/planted", "/dev/shm/planted"]
            print("left", [path for path in paths if os.path.lexists(path)])
            stat = os.statvfs("/sandbox")
            print("scratch free MiB", stat.f_bavail * stat.f_frsize >> 20)
            """);

        foreach (var probe in new[] { same, other })
        {
            Assert.Multiple(() =>
            {
                Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
                Assert.That(probe.Stdout, Does.Contain("left []\n"), probe.ToString());
                Assert.That(probe.Stdout, Does.Not.Contain("PWNED"), "no .pth or .bashrc of the run before ran");
                Assert.That(FreeMiB(probe), Is.GreaterThanOrEqualTo(62), "the 64 MiB scratch disk is whole again");
            });
        }
        Assert.That(ContainerOf(same), Is.EqualTo(ContainerOf(attack)), "wiped, the container serves the same user again");
    }

    [Test]
    public async Task PortsAndSocketsARunHeldAreFreeAgain()
    {
        var attack = await _user.RunAsync("hold-ports.py", AbuseWorkspace.PythonPrelude + """
            import os, socket, time
            tcp = socket.socket(); tcp.bind(("127.0.0.1", 4000)); tcp.listen()
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind(("127.0.0.1", 4001))
            abstract = socket.socket(socket.AF_UNIX); abstract.bind("\0webide-held")
            if os.fork() == 0:
                os.setsid()
                time.sleep(300)
            print("held", flush=True)
            """);

        Assert.That(attack.Status, Is.EqualTo("ok"), attack.ToString());
        var (same, other) = await ProbeAsync("probe-ports.py", """
            import socket
            for name, family, kind, address in [("tcp", socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 4000)),
                                                ("udp", socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 4001)),
                                                ("abstract", socket.AF_UNIX, socket.SOCK_STREAM, "\0webide-held")]:
                try:
                    socket.socket(family, kind).bind(address)
                    print(name, "free")
                except OSError as error:
                    print(name, "taken", error)
            """);

        foreach (var probe in new[] { same, other })
        {
            Assert.That(probe.Stdout, Does.Contain("tcp free\nudp free\nabstract free\n"), probe.ToString());
        }
        Assert.That(ContainerOf(same), Is.EqualTo(ContainerOf(attack)));
    }

    [Test]
    public async Task SysVAndPosixIpcObjectsAreGone()
    {
        var attack = await _user.RunAsync("leave-ipc.py", AbuseWorkspace.PythonPrelude + Ipc + """
            print("shm", libc.shmget(KEY, 4096, IPC_CREAT | 0o600) >= 0)
            print("sem", libc.semget(KEY, 1, IPC_CREAT | 0o600) >= 0)
            print("msg", libc.msgget(KEY, IPC_CREAT | 0o600) >= 0)
            print("mq", rt.mq_open(QUEUE, os.O_CREAT | os.O_RDWR, 0o600, None) >= 0, flush=True)
            """);

        Assert.That(attack.Stdout, Does.Contain("shm True\nsem True\nmsg True\nmq True\n"), attack.ToString());
        var (same, other) = await ProbeAsync("probe-ipc.py", Ipc + """
            def found(result):
                return "found" if result >= 0 else errno.errorcode[ctypes.get_errno()]
            print("shm", found(libc.shmget(KEY, 0, 0)))
            print("sem", found(libc.semget(KEY, 0, 0)))
            print("msg", found(libc.msgget(KEY, 0)))
            print("mq", found(rt.mq_open(QUEUE, os.O_RDWR)))
            """);

        foreach (var probe in new[] { same, other })
        {
            Assert.That(probe.Stdout, Does.Contain("shm ENOENT\nsem ENOENT\nmsg ENOENT\nmq ENOENT\n"), probe.ToString());
        }
        Assert.That(ContainerOf(same), Is.EqualTo(ContainerOf(attack)));
    }

    [Test]
    public async Task OnlyStdinStdoutAndStderrReachARunInAReusedContainer()
    {
        const string Fds = """
            import os
            print("fds", sorted(int(name) for name in os.listdir("/proc/self/fd") if os.path.exists(f"/proc/self/fd/{name}")))
            """;
        var first = await _user.RunAsync("fds.py", AbuseWorkspace.PythonPrelude + Fds);
        var second = await _user.RunEntryAsync("fds.py");

        Assert.Multiple(() =>
        {
            Assert.That(ContainerOf(second), Is.EqualTo(ContainerOf(first)));
            // The listing's own descriptor is gone by the time it is checked.
            Assert.That(second.Stdout, Does.Contain("fds [0, 1, 2]\n"), second.ToString());
        });
    }

    [Test]
    public async Task ConcurrentRunsOfOneUserSeeOnlyTheirOwnProcesses()
    {
        // A user of its own: two runs at once leave two containers, and the other tests here want the one.
        using var concurrent = await AbuseWorkspace.CreateAsync("reuse-concurrent");
        await concurrent.WriteAsync("concurrent.py", AbuseWorkspace.PythonPrelude + """
            import os, time
            time.sleep(1)
            for pid in sorted(int(name) for name in os.listdir("/proc") if name.isdigit()):
                print(pid, open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode().strip())
            """);

        var runs = await Task.WhenAll(concurrent.RunEntryAsync("concurrent.py"), concurrent.RunEntryAsync("concurrent.py"));

        Assert.That(ContainerOf(runs[0]), Is.Not.EqualTo(ContainerOf(runs[1])), "one run at a time in a container");
        foreach (var run in runs)
        {
            var processes = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(run.Status, Is.EqualTo("ok"), run.ToString());
                Assert.That(processes, Has.Count.EqualTo(2), run.ToString());
                Assert.That(processes[1], Does.EndWith("python3 concurrent.py"), "the program itself; the first is the jail's init");
                Assert.That(run.Stdout, Does.Not.Contain("python3 -I -S"), "the agent is out of sight");
            });
        }
    }

    private static IEnumerable<TestCaseData> LimitCases()
    {
        yield return new TestCaseData("fork-bomb.py", """
            import os
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
            """, 3000, "timeout").SetName("AForkBombTimesOutAndRetiresItsContainer");
        yield return new TestCaseData("oom.py", """
            held = []
            while True:
                held.append(b"x" * (8 << 20))
            """, 10_000, "memory_limit").SetName("AMemoryHogIsKilledAndRetiresItsContainer");
        yield return new TestCaseData("inodes.py", """
            import os
            os.makedirs("many")
            count = 0
            try:
                while True:
                    open(f"many/{count}", "w").close()
                    count += 1
            except OSError as error:
                print("files", count, error.strerror)
            """, 10_000, "ok").SetName("InodeExhaustionEndsInNoSpaceLeftAndRetiresItsContainer");
        yield return new TestCaseData("sleep.py", "import time\ntime.sleep(60)\n", 1000, "timeout").SetName("ATimeoutRetiresItsContainer");
    }

    [TestCaseSource(nameof(LimitCases))]
    public async Task ARunThatHitsALimitRetiresItsContainer(string file, string source, int timeoutMs, string status)
    {
        var warm = await _user.RunAsync("warm.py", AbuseWorkspace.PythonPrelude + "print('warm')\n");
        var attack = await _user.RunAsync(file, AbuseWorkspace.PythonPrelude + source, new { timeoutMs });
        var (same, _) = await ProbeAsync("probe-limit.py", "print('next')\n");

        Assert.Multiple(() =>
        {
            Assert.That(attack.Status, Is.EqualTo(status), attack.ToString());
            Assert.That(ContainerOf(attack), Is.EqualTo(ContainerOf(warm)), "the attack ran in the user's warm container");
            Assert.That(ContainerOf(same), Is.Not.EqualTo(ContainerOf(attack)), "the next run gets a fresh container");
            Assert.That(same.Stdout, Does.EndWith("next\n"), same.ToString());
        });
        if (file == "inodes.py")
        {
            Assert.That(attack.Stdout, Does.Match(@"files \d+ No space left on device"), attack.ToString());
        }
        await WaitUntilRemovedAsync(ContainerOf(attack));
    }

    private const string Ipc = """
        import ctypes, errno, os
        libc = ctypes.CDLL(None, use_errno=True)
        rt = ctypes.CDLL("librt.so.1", use_errno=True)
        KEY = 0x5EB1DE
        IPC_CREAT = 0o1000
        QUEUE = b"/webide-held"

        """;

    /// <summary>The probe as the same user's next run and as another user's run; the other's container is never one of this user's.</summary>
    private async Task<(RunOutcome Same, RunOutcome Other)> ProbeAsync(string file, string source)
    {
        var same = await _user.RunAsync(file, AbuseWorkspace.PythonPrelude + source);
        var other = await _other.RunAsync(file, AbuseWorkspace.PythonPrelude + source);
        Assert.Multiple(() =>
        {
            Assert.That(same.Status, Is.EqualTo("ok"), same.ToString());
            Assert.That(other.Status, Is.EqualTo("ok"), other.ToString());
            Assert.That(_user.SandboxesUsed, Does.Not.Contain(ContainerOf(other)), "another user never gets this user's container");
            Assert.That(_other.SandboxesUsed, Does.Not.Contain(ContainerOf(same)), "nor this user the other's");
        });
        return (same, other);
    }

    private static string ContainerOf(RunOutcome outcome) =>
        AbuseWorkspace.ContainerOf(outcome.Stdout) ?? throw new AssertionException($"the program did not name its container: {outcome}");

    private static long FreeMiB(RunOutcome outcome)
    {
        var line = outcome.Stdout.Split('\n').FirstOrDefault(line => line.StartsWith("scratch free MiB ", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line["scratch free MiB ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The container's processes as the engine lists them; null when it is gone.</summary>
    private async Task<IReadOnlyList<string>?> ProcessesOfAsync(string container)
    {
        try
        {
            var top = await _docker.Containers.ListProcessesAsync(container, new ContainerListProcessesParameters());
            var command = top.Titles.IndexOf("CMD");
            return [.. top.Processes.Select(process => process[command])];
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    private async Task WaitUntilRemovedAsync(string container)
    {
        using var deadline = new CancellationTokenSource(RemovalDeadline);
        while (true)
        {
            try
            {
                await _docker.Containers.InspectContainerAsync(container, deadline.Token);
            }
            catch (DockerContainerNotFoundException)
            {
                return;
            }
            Assert.That(deadline.IsCancellationRequested, Is.False, $"container {container[..12]} was not removed within {RemovalDeadline.TotalSeconds} s");
            await Task.Delay(200, CancellationToken.None);
        }
    }
}
