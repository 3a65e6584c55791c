namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>
/// The jail around every run (bubblewrap inside the container, a seccomp filter of the run's own): the kernel
/// interfaces a jail escape starts from are refused, nothing but stdin, stdout and stderr reaches the program, it
/// sees only its own processes and never the agent, and nothing it starts outlives it.
/// </summary>
[Order(10)]
public sealed class JailTests
{
    // The probe jail-check.py runs too: 26 calls the run's filter refuses, then a fork, a thread and a child process.
    private static readonly string Refusals = File.ReadAllText(Path.Combine(Platform.RepositoryRoot, "deploy", "runner", "probes", "refusals.py"));

    private const string Processes = """
        import os, subprocess, time
        sleeper = subprocess.Popen(["sleep", "30"])
        # Until the child has exec'd, its command line is python's, or empty mid-exec.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with open(f"/proc/{sleeper.pid}/cmdline", "rb") as f:
                if f.read().startswith(b"sleep"):
                    break
            time.sleep(0.01)
        for pid in sorted(int(name) for name in os.listdir("/proc") if name.isdigit()):
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().split(b"\0")
            print(pid, os.path.basename(command[0].decode()), command[1].decode() if len(command) > 1 else "")
        sleeper.kill()
        """;

    private AbuseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync() => _workspace = await AbuseWorkspace.CreateAsync("jail");

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    [Test]
    public async Task NamespacesMountsKeyringsBpfPerfUserfaultfdAndIoUringAreRefused()
    {
        var probe = await _workspace.RunAsync("refusals.py", AbuseWorkspace.PythonPrelude + Refusals);

        var lines = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
            Assert.That(lines, Has.Count.EqualTo(26 + 3), probe.ToString());
            // clone3's flags are out of a filter's sight: "not implemented" sends runtimes back to clone, whose flags are checked.
            Assert.That(lines.Take(26).Where(line => !line.StartsWith("clone3 ", StringComparison.Ordinal)), Has.All.Match(@"^\w+ refused EPERM$"), probe.ToString());
            Assert.That(lines, Does.Contain("clone3 refused ENOSYS"), probe.ToString());
            Assert.That(lines.Skip(26), Is.EqualTo(new[] { "fork 3", "thread ran", "subprocess child" }), "what programs do need still works");
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task OnlyStdinStdoutAndStderrReachTheProgram()
    {
        var probe = await _workspace.RunAsync("fds.py", AbuseWorkspace.PythonPrelude + """
            import os
            def is_open(fd):
                try:
                    os.fstat(fd)
                    return True
                except OSError:
                    return False
            listed = sorted(int(name) for name in os.listdir("/proc/self/fd"))
            # The listing's own descriptor is closed again by now.
            print("fds", [fd for fd in listed if is_open(fd)])
            print("open beyond stdio", [(fd, os.readlink(f"/proc/self/fd/{fd}")) for fd in range(3, 1024) if is_open(fd)])
            """);

        Assert.Multiple(() =>
        {
            Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
            Assert.That(probe.Stdout, Does.EndWith("fds [0, 1, 2]\nopen beyond stdio []\n"), probe.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task ConcurrentRunsOfOneUserSeeOnlyTheirOwnProcessesAndNeverTheAgent()
    {
        await _workspace.WriteAsync("processes.py", AbuseWorkspace.PythonPrelude + Processes);

        var runs = await Task.WhenAll(_workspace.RunEntryAsync("processes.py"), _workspace.RunEntryAsync("processes.py"));

        foreach (var run in runs)
        {
            var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(run.Status, Is.EqualTo("ok"), run.ToString());
                // PID 1 is the jail's init (bwrap); the program, its child and nothing else.
                Assert.That(lines, Has.Count.EqualTo(3), run.ToString());
                Assert.That(lines[0], Does.StartWith("1 bwrap "), run.ToString());
                Assert.That(lines[1], Is.EqualTo("2 python3 processes.py"), run.ToString());
                Assert.That(lines[2], Is.EqualTo("3 sleep 30"), run.ToString());
            });
        }
        Assert.That(AbuseWorkspace.ContainerOf(runs[0].Stdout), Is.Not.EqualTo(AbuseWorkspace.ContainerOf(runs[1].Stdout)));
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task ADoubleForkedBackgroundProcessIsGoneWhenTheRunEnds()
    {
        // The grandchild leaves the program's session and is reparented to the jail's init; it
        // would print a line a second from now. The run ends with the program: bwrap exits, the
        // jail's init dies with it and takes every process of the jail's PID namespace along.
        var probe = await _workspace.RunAsync("daemon.py", AbuseWorkspace.PythonPrelude + """
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(1)
                    print("the grandchild is still alive", flush=True)
                    time.sleep(60)
                os._exit(0)
            os.wait()
            alive = [pid for pid in os.listdir("/proc") if pid.isdigit() and pid not in ("1", str(os.getpid()))]
            print("background processes before the end:", len(alive), flush=True)
            """);
        var shell = await _workspace.RunAsync("daemon.sh", AbuseWorkspace.BashPrelude + """
            setsid nohup sh -c 'sleep 1; echo "the nohup job is still alive"; sleep 60' &
            sleep 0.2
            echo "shell done"
            """);

        Assert.Multiple(() =>
        {
            Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
            Assert.That(probe.Stdout, Does.Contain("background processes before the end: 1\n").And.Not.Contain("still alive"), probe.ToString());
            Assert.That(probe.WallTimeMs, Is.LessThan(5_000), "the run did not wait for the grandchild");
            Assert.That(shell.Status, Is.EqualTo("ok"), shell.ToString());
            Assert.That(shell.Stdout, Does.EndWith("shell done\n"), shell.ToString());
            Assert.That(shell.WallTimeMs, Is.LessThan(5_000), shell.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task TmpAndDevShmAreTheRunsOwnAndTheNextRunSeesNothingOfThem()
    {
        var marker = $"marker-{Guid.NewGuid():N}";
        var first = await _workspace.RunAsync("leave.py", AbuseWorkspace.PythonPrelude + $$"""
            import os
            for folder in ["/tmp", "/dev/shm"]:
                print(folder, "was", sorted(os.listdir(folder)))
                with open(os.path.join(folder, "{{marker}}"), "w") as f:
                    f.write("left behind")
            os.makedirs("/tmp/{{marker}}-locked/inner")
            os.chmod("/tmp/{{marker}}-locked", 0)
            print("written")
            """);
        var second = await _workspace.RunAsync("look.py", AbuseWorkspace.PythonPrelude + """
            import os
            for folder in ["/tmp", "/dev/shm"]:
                print(folder, "is", sorted(os.listdir(folder)))
            """);

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo("ok"), first.ToString());
            Assert.That(first.Stdout, Does.Contain("/tmp was []\n/dev/shm was []\nwritten\n"), first.ToString());
            Assert.That(second.Status, Is.EqualTo("ok"), second.ToString());
            Assert.That(second.Stdout, Does.EndWith("/tmp is []\n/dev/shm is []\n"), second.ToString());
        });
    }

    [Test]
    public async Task WhatDockerMasksInProcAndSysIsMaskedInTheJail()
    {
        // The container runs without Docker's masks (the jail could not mount its /proc otherwise); the jail
        // puts them back: files read as empty, directories are empty, the rest is read-only.
        var probe = await _workspace.RunAsync("masks.py", AbuseWorkspace.PythonPrelude + """
            import errno, os
            for path in ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/latency_stats"]:
                if os.path.exists(path):
                    with open(path, "rb") as f:
                        print(path, "reads", len(f.read(4096)), "bytes")
            for path in ["/proc/acpi", "/proc/asound", "/proc/scsi", "/sys/firmware"]:
                if os.path.exists(path):
                    print(path, "lists", len(os.listdir(path)), "entries")
            for path in ["/proc/sys/kernel/hostname", "/proc/sys/vm/drop_caches", "/proc/sysrq-trigger"]:
                try:
                    with open(path, "w") as f:
                        f.write("1")
                    print(path, "WRITTEN")
                except OSError as error:
                    print(path, "refused", errno.errorcode[error.errno])
            """);

        var lines = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
            Assert.That(lines.Where(line => line.Contains(" reads ", StringComparison.Ordinal)), Has.All.EndWith(" reads 0 bytes"), probe.ToString());
            Assert.That(lines.Where(line => line.Contains(" lists ", StringComparison.Ordinal)), Has.All.EndWith(" lists 0 entries"), probe.ToString());
            var writes = lines.Where(line => line.StartsWith("/proc/sys", StringComparison.Ordinal)).ToList();
            Assert.That(writes, Has.Count.EqualTo(3), probe.ToString());
            Assert.That(writes, Has.All.Match(" refused E[A-Z]+$"), probe.ToString());
            Assert.That(probe.Stdout, Does.Not.Contain("WRITTEN"));
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }
}
