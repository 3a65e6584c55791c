namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>The kernel's interfaces refuse a sandboxed program, and signalling everything it can does not cost it its verdict.</summary>
[Order(9)]
public sealed class KernelInterfaceTests
{
    private AbuseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync() => _workspace = await AbuseWorkspace.CreateAsync("kernel");

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    [Test]
    public async Task ProcAndSysAndMountRefuseTheProgram()
    {
        var probe = await _workspace.RunAsync("kernel.py", AbuseWorkspace.PythonPrelude + """
            import ctypes, errno, os

            def attempt(name, action):
                try:
                    result = action()
                    print(name, "DONE", repr(result)[:80])
                except OSError as error:
                    print(name, "refused", errno.errorcode.get(error.errno, error.errno))

            def read(path, size=64):
                with open(path, "rb") as f:
                    return f.read(size)

            def write(path, data):
                with open(path, "w") as f:
                    f.write(data)

            libc = ctypes.CDLL(None, use_errno=True)
            def call(function, *arguments):
                if function(*arguments) != 0:
                    raise OSError(ctypes.get_errno(), "")
                return 0

            print("kcore", repr(read("/proc/kcore")) if os.path.exists("/proc/kcore") else "absent")
            attempt("sysrq", lambda: write("/proc/sysrq-trigger", "h"))
            attempt("drop_caches", lambda: write("/proc/sys/vm/drop_caches", "3"))
            attempt("hostname", lambda: write("/proc/sys/kernel/hostname", "escaped"))
            attempt("core_pattern", lambda: write("/proc/sys/kernel/core_pattern", "|/sandbox/x"))
            attempt("sys_kernel", lambda: write("/sys/kernel/uevent_helper", "/sandbox/x"))
            attempt("sys_thp", lambda: write("/sys/kernel/mm/transparent_hugepage/enabled", "never"))
            attempt("cgroup_limit", lambda: write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "-1"))
            attempt("cgroup_pids", lambda: write("/sys/fs/cgroup/pids/pids.max", "max"))
            os.makedirs("/sandbox/mnt", exist_ok=True)
            attempt("mount_tmpfs", lambda: call(libc.mount, b"none", b"/sandbox/mnt", b"tmpfs", 0, None))
            attempt("mount_proc", lambda: call(libc.mount, b"proc", b"/sandbox/mnt", b"proc", 0, None))
            attempt("remount_root", lambda: call(libc.mount, None, b"/", None, 32, None))
            attempt("unshare_user", lambda: call(libc.unshare, 0x10000000))
            attempt("unshare_mount", lambda: call(libc.unshare, 0x00020000))
            attempt("setuid_root", lambda: os.setuid(0))
            attempt("chroot", lambda: os.chroot("/sandbox"))
            attempt("mknod", lambda: os.mknod("/sandbox/sda", 0o600 | 0o060000, os.makedev(8, 0)))
            """);

        var lines = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
            // Docker masks kcore with an empty file: no kernel memory to read either way.
            Assert.That(lines[0], Is.AnyOf("kcore b''", "kcore absent"), probe.ToString());
            Assert.That(lines.Skip(1).ToList(), Has.Count.EqualTo(16), probe.ToString());
            Assert.That(lines.Skip(1), Has.All.Match(@"^\w+ refused E[A-Z]+$"), probe.ToString());
            Assert.That(probe.Stdout, Does.Not.Contain(" DONE "));
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task KillingEveryProcessItCanStillLeavesTheRunItsVerdict()
    {
        var killer = await _workspace.RunAsync("killall.sh", AbuseWorkspace.BashPrelude + """
            sleep 30 &
            sleep 30 &
            echo "before"
            kill -9 -1
            wait
            echo "after: the background jobs are gone"
            kill -STOP 1; kill -TERM 1; kill -INT 1; kill -HUP 1; kill -USR1 1; kill -PIPE 1; kill -QUIT 1
            echo "signalled the agent"
            exit 7
            """);

        Assert.Multiple(() =>
        {
            Assert.That(killer.Status, Is.EqualTo("runtime_error"), killer.ToString());
            Assert.That(killer.ExitCode, Is.EqualTo(7), killer.ToString());
            Assert.That(killer.WallTimeMs, Is.LessThan(5_000), "the sleeps were killed, not waited for");
            Assert.That(killer.Stdout, Does.EndWith("before\nafter: the background jobs are gone\nsignalled the agent\n"), killer.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task TheAgentThatReportsTheRunIsOutOfTheProgramsReach()
    {
        // The agent runs under the program's uid: were it reachable, a program could take it over,
        // forge frames on the service's stream or have the OOM killer pick it. It is in none of the
        // jail's namespaces: PID 1 there is the jail's init (bwrap), whose descriptors are the
        // program's own pipes, so a frame forged through them is only more output.
        var probe = await _workspace.RunAsync("agent.py", AbuseWorkspace.PythonPrelude + """
            import ctypes, errno, os, struct
            libc = ctypes.CDLL(None, use_errno=True)
            def command(pid):
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    return f.read().split(b"\0")
            print("pid1", command(1)[0].decode())
            print("agent visible", any(command(pid)[1:4] == [b"-I", b"-S", b"-c"] for pid in os.listdir("/proc") if pid.isdigit()))
            attached = libc.ptrace(16, 1, None, None)
            print("ptrace", "ATTACHED" if attached == 0 else "refused " + errno.errorcode[ctypes.get_errno()])
            for path, mode in [("/proc/1/fd/1", os.O_WRONLY), ("/proc/1/fd/0", os.O_RDONLY), ("/proc/1/oom_score_adj", os.O_WRONLY), ("/proc/1/mem", os.O_RDONLY)]:
                try:
                    fd = os.open(path, mode)
                    if path == "/proc/1/fd/1":
                        verdict = b'{"step":"run","exitCode":0,"wallMs":1,"cpuMs":1,"peakMemoryBytes":1,"timedOut":false,"outputLimited":false,"oomKilled":false,"killed":false}'
                        os.write(fd, struct.pack(">cI", b"X", len(verdict)) + verdict + b"\n")
                    print(path, "OPENED")
                except OSError as error:
                    print(path, "refused", errno.errorcode[error.errno])
            raise SystemExit(9)
            """);

        Assert.Multiple(() =>
        {
            Assert.That(probe.Status, Is.EqualTo("runtime_error"), probe.ToString());
            Assert.That(probe.ExitCode, Is.EqualTo(9), "the agent's verdict, not one the program forged");
            Assert.That(probe.Stdout, Does.Contain("pid1 /usr/bin/bwrap\nagent visible False\nptrace refused EPERM\n"), probe.ToString());
            // What reaches the jail's init reaches only the program's own pipes and the jail's own process.
            Assert.That(probe.Stdout, Does.Contain("\"exitCode\":0,"), "the forged frame came out as the program's output");
            Assert.That(probe.Stdout.Split('\n').Where(line => line.StartsWith("/proc/1/", StringComparison.Ordinal)),
                Has.All.Match(@"^/proc/1/\S+ (OPENED|refused E[A-Z]+)$"), probe.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }
}
