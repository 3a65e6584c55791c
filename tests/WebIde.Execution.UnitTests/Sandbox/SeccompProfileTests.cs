using System.Text.Json;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Sandbox;

/// <summary>
/// The containers' seccomp profile (sandbox-seccomp.json, as embedded and sent to the engine): an allowlist that
/// lets bubblewrap build the jail and keeps out what no program here needs. What the kernel does with it is shown
/// by deploy/runner/jail-check.py, on a host and in Docker.
/// </summary>
public sealed class SeccompProfileTests
{
    private static readonly JsonElement Profile = JsonDocument.Parse(SandboxFactory.SeccompProfile).RootElement;

    private static IEnumerable<JsonElement> Groups => Profile.GetProperty("syscalls").EnumerateArray();

    private static IEnumerable<string> Names(JsonElement group) => group.GetProperty("names").EnumerateArray().Select(name => name.GetString()!);

    private static HashSet<string> Allowed => [.. Groups.Where(group => group.GetProperty("action").GetString() == "SCMP_ACT_ALLOW").SelectMany(Names)];

    [Test]
    public void AnythingNotListedFailsWithEperm()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Profile.GetProperty("defaultAction").GetString(), Is.EqualTo("SCMP_ACT_ERRNO"));
            Assert.That(Profile.GetProperty("defaultErrnoRet").GetInt32(), Is.EqualTo(1), "EPERM");
            Assert.That(Groups.Select(group => group.GetProperty("action").GetString()), Is.All.AnyOf("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO"));
            Assert.That(Groups.Select(group => group.GetProperty("comment").GetString()), Is.All.Not.Empty, "every group says why it is there");
        }
    }

    [Test]
    public void OnlyThe64BitCallsOfX8664AndAarch64AreAllowed()
    {
        var architectures = Profile.GetProperty("archMap").EnumerateArray().ToList();

        Assert.That(architectures.Select(entry => entry.GetProperty("architecture").GetString()), Is.EquivalentTo(new[] { "SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64" }));
        Assert.That(architectures.SelectMany(entry => entry.GetProperty("subArchitectures").EnumerateArray()), Is.Empty, "no i386, x32 or 32-bit ARM calls");
    }

    [Test]
    public void EachCallIsListedOnce()
    {
        var names = Groups.SelectMany(Names).ToList();

        Assert.That(names, Is.Unique);
    }

    [TestCase("clone", Description = "with namespace flags: the jail's namespaces")]
    [TestCase("unshare", Description = "bwrap's second user namespace, which maps the real uid back after mounting devpts")]
    [TestCase("mount")]
    [TestCase("umount2")]
    [TestCase("pivot_root")]
    [TestCase("sethostname", Description = "the jail's hostname, in its own UTS namespace")]
    [TestCase("prctl", Description = "no_new_privs, the death signal, the run's seccomp filter")]
    [TestCase("capset", Description = "bwrap drops its capabilities")]
    [TestCase("socket", Description = "netlink, to bring the jail's loopback up")]
    [TestCase("execve")]
    [TestCase("wait4")]
    [TestCase("rseq", Description = "glibc 2.35 and later register it at every start")]
    [TestCase("faccessat2", Description = "glibc falls back only on ENOSYS, not on EPERM")]
    public void WhatTheJailAndTheProgramsNeedIsAllowed(string name) =>
        Assert.That(Allowed, Does.Contain(name));

    [Test]
    public void Clone3IsNotImplementedSoRuntimesFallBackToClone()
    {
        var clone3 = Groups.Single(group => Names(group).Contains("clone3"));

        Assert.That(Names(clone3), Is.EqualTo(new[] { "clone3" }));
        Assert.That(clone3.GetProperty("action").GetString(), Is.EqualTo("SCMP_ACT_ERRNO"));
        Assert.That(clone3.GetProperty("errnoRet").GetInt32(), Is.EqualTo(38), "ENOSYS");
    }

    [TestCase("keyctl")]
    [TestCase("add_key")]
    [TestCase("request_key")]
    [TestCase("bpf")]
    [TestCase("perf_event_open")]
    [TestCase("userfaultfd")]
    [TestCase("io_uring_setup")]
    [TestCase("io_uring_enter")]
    [TestCase("io_uring_register")]
    [TestCase("kexec_load")]
    [TestCase("kexec_file_load")]
    [TestCase("init_module")]
    [TestCase("finit_module")]
    [TestCase("delete_module")]
    [TestCase("reboot")]
    [TestCase("swapon")]
    [TestCase("syslog")]
    [TestCase("acct")]
    [TestCase("settimeofday")]
    [TestCase("clock_settime")]
    [TestCase("adjtimex")]
    [TestCase("ptrace", Description = "the jail's init is the program's uid and dumpable")]
    [TestCase("process_vm_readv")]
    [TestCase("process_vm_writev")]
    [TestCase("pidfd_getfd")]
    [TestCase("kcmp")]
    [TestCase("setns", Description = "bwrap joins no namespace")]
    [TestCase("chroot")]
    [TestCase("open_by_handle_at")]
    [TestCase("name_to_handle_at")]
    [TestCase("personality")]
    [TestCase("iopl")]
    [TestCase("ioperm")]
    [TestCase("modify_ldt")]
    [TestCase("quotactl")]
    [TestCase("fsopen", Description = "bwrap uses the old mount API")]
    [TestCase("open_tree")]
    [TestCase("mount_setattr")]
    [TestCase("fanotify_init")]
    [TestCase("lookup_dcookie")]
    [TestCase("seccomp", Description = "bwrap installs the run's filter with prctl")]
    public void WhatNoProgramHereNeedsIsNotAllowed(string name) =>
        Assert.That(Allowed, Does.Not.Contain(name));
}
