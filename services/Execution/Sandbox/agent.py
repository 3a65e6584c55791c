# The sandbox agent: PID 1 of every sandbox container. It waits, already started, for a run
# request on its attached stdin, so a run costs no `docker exec`; it then writes the run's
# files into a scratch directory of the run's own, runs each step in a fresh jail and
# streams framed results on stdout.
#
# The jail is bubblewrap (bwrap), one per step: new user, PID, mount, IPC, UTS, network and
# cgroup namespaces; the image read-only; the run's scratch directory as /sandbox; its own
# /tmp, /dev/shm, /dev and /proc; no capabilities; a seccomp filter of the run's own
# (run_filter below). The program sees only its own processes: the agent is in none of the
# jail's namespaces and not in its /proc. A jail is built before its step is known, with a
# shell in it that waits for the step's command and becomes the program (Jail): the agent
# builds the next run's first jail while it waits for that run, so bwrap's ~10 ms of
# namespaces and mounts are not in a run's latency. No jail serves two steps.
#
# Being PID 1 still matters: `kill(-1)` from here reaches every other process in the
# container, every jail's included, and orphans (a jail's init once bwrap has exited) are
# reparented here and reaped.
#
# A container serves one user's runs, one at a time: after each run the agent wipes its files,
# checks that the container is back to the baseline it recorded before the first run, and
# says so in a D frame. The service hands the container to the same user's next run only on
# a D that says "reusable"; anything else (a limit hit, something left behind, no D at all)
# retires it. A container that is not reusable is left by the agent too: it exits.
#
# Frames both ways: 1 byte kind, 4 bytes big-endian length, payload.
#   in : F file (2-byte path length, path, content) · R request (JSON) · I stdin · C close stdin · K kill
#        U file written or replaced while a step runs (as F) · N path removed while a step runs (path)
#   out: O stdout · E stderr · X step exited (JSON) · D run done (JSON) · A agent error (text)
import ctypes
import errno
import fcntl
import json
import os
import select
import shlex
import shutil
import signal
import struct
import sys
import time

IN = 0
OUT = 1
CHUNK = 65536
STDIN_BUFFER_CAP = 8 << 20
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36

BWRAP = "/usr/bin/bwrap"
# The container's scratch tmpfs. Each run gets a directory of its own in it, which its jails
# see as /sandbox, over the container's: no other run's directory is in sight.
SCRATCH_ROOT = "/sandbox"
JAIL_SCRATCH = "/sandbox"
# The jail's own /tmp and /dev/shm, a tmpfs of this size each; like the scratch disk they
# count against the container's memory limit.
JAIL_TMPFS_BYTES = 8 << 20
# The platform's own directory in a run's scratch directory (home, temporary files, caches, build
# output); no project file is ever in it (the service refuses such paths).
PLATFORM_DIRECTORY = ".webide"
# Where a jail's shell reads its step's command (Jail, launch_script).
JAIL_COMMAND_FD = 3
# How far the OOM killer should prefer a process: a run's, never the agent.
OOM_SCORE_ADJ_RUN = b"1000"

out_buffer = bytearray()


def send(kind, payload):
    out_buffer.extend(struct.pack(">cI", kind, len(payload)))
    out_buffer.extend(payload)
    flush()


def flush():
    while out_buffer:
        try:
            written = os.write(OUT, out_buffer)
        except BlockingIOError:
            select.select([], [OUT], [])
            continue
        del out_buffer[:written]


class FrameReader:
    def __init__(self):
        self.buffer = bytearray()
        self.closed = False

    def fill(self):
        data = os.read(IN, CHUNK)
        if not data:
            self.closed = True
        self.buffer.extend(data)

    def frames(self):
        while len(self.buffer) >= 5:
            kind, length = struct.unpack(">cI", self.buffer[:5])
            if len(self.buffer) < 5 + length:
                return
            payload = bytes(self.buffer[5:5 + length])
            del self.buffer[:5 + length]
            yield kind, payload


def drain_wakeups():
    try:
        while os.read(CHILD_EXITED, 4096):
            pass
    except BlockingIOError:
        pass


def cgroup_counter(places):
    """A counter of the container's cgroup, wherever this cgroup version keeps it (0 when none does)."""
    for path, key in places:
        try:
            with open(path) as f:
                for line in f:
                    name, _, value = line.partition(" ")
                    if name == key:
                        return int(value)
        except OSError:
            pass
    return 0


def oom_kills():
    return cgroup_counter((("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
                           ("/sys/fs/cgroup/memory.events", "oom_kill")))


def process_limit_hits():
    """How often a fork or clone was refused for the container's process limit."""
    return cgroup_counter((("/sys/fs/cgroup/pids/pids.events", "max"),
                           ("/sys/fs/cgroup/pids.events", "max")))


def shell_exit_code(status):
    # As a shell reports it: a signal's death is 128 + the signal's number. bwrap passes the
    # program's status on the same way (its own exit code is the program's, or 128 + n).
    if status is None:
        return 128 + signal.SIGKILL
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def kill_everything():
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------------------------------------
# The run's seccomp filter, a classic BPF program that bwrap installs on the program and on the
# jail's init just before they start. Hand-written rather than made with libseccomp: it is a
# short fixed list, the agent stays one file of the standard library only, and the image needs
# no python3-seccomp. The container's own profile (sandbox-seccomp.json) is an allowlist and
# still applies underneath; this filter takes away what the container allows only so that
# bwrap can build the jail (namespaces, mounts), and refuses the kernel interfaces a program
# has no use for here even if the container's profile is ever widened.
#
# Each rule: the syscall's number on x86_64 and on aarch64, what happens, and why.

AUDIT_ARCH_X86_64 = 0xC000003E
AUDIT_ARCH_AARCH64 = 0xC00000B7
X32_SYSCALL_BIT = 0x40000000

SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000

# Offsets in struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6].
# Both architectures are little-endian, so an argument's low 32 bits are at its offset.
DATA_NR = 0
DATA_ARCH = 4
DATA_ARG0_LOW = 16

# Every CLONE_NEW* flag: NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, and for
# unshare NEWTIME (0x80, which clone reads as part of the exit signal instead).
CLONE_NEW_FLAGS = 0x7E020000
CLONE_NEWTIME = 0x00000080


def bpf(code, k, jt=0, jf=0):
    return struct.pack("=HBBI", code, jt, jf, k)


def load(offset):
    return bpf(0x20, offset)  # BPF_LD | BPF_W | BPF_ABS


def if_equal(k, skip_if_not):
    return bpf(0x15, k, 0, skip_if_not)  # BPF_JMP | BPF_JEQ | BPF_K: on a match, go on


def if_any_bit(k, skip_if_none):
    return bpf(0x45, k, 0, skip_if_none)  # BPF_JMP | BPF_JSET | BPF_K: on any bit set, go on


def give(action):
    return bpf(0x06, action)  # BPF_RET | BPF_K


def refuse(error):
    """Rule: the call fails with this errno."""
    def instructions(number):
        return [if_equal(number, 1), give(SECCOMP_RET_ERRNO | error)]
    return instructions


def refuse_with_flags(flags):
    """Rule: the call fails with EPERM when its first argument has any of these flags."""
    def instructions(number):
        return [if_equal(number, 4),
                load(DATA_ARG0_LOW),
                if_any_bit(flags, 1),
                give(SECCOMP_RET_ERRNO | errno.EPERM),
                give(SECCOMP_RET_ALLOW)]
    return instructions


# (x86_64 number, aarch64 number, rule, why)
RUN_RULES = {
    # Namespaces: new ones are how an unprivileged process gets capabilities again (in a user
    # namespace of its own), and with them mounts and much kernel code otherwise out of reach.
    "clone": (56, 220, refuse_with_flags(CLONE_NEW_FLAGS), "only a plain fork or thread"),
    "unshare": (272, 97, refuse_with_flags(CLONE_NEW_FLAGS | CLONE_NEWTIME), "no new namespace"),
    "setns": (308, 268, refuse(errno.EPERM), "no joining another namespace"),
    # clone3 passes its flags in memory a filter cannot read: "not implemented" makes glibc
    # and other runtimes fall back to clone, whose flags are checked above.
    "clone3": (435, 435, refuse(errno.ENOSYS), "flags out of a filter's sight"),
    # Mounts, old API and new: the jail's view of the filesystem is bwrap's, and stays so.
    "mount": (165, 40, refuse(errno.EPERM), "no mounts"),
    "umount2": (166, 39, refuse(errno.EPERM), "no unmounting what the jail covers"),
    "pivot_root": (155, 41, refuse(errno.EPERM), "no other root"),
    "open_tree": (428, 428, refuse(errno.EPERM), "new mount API"),
    "move_mount": (429, 429, refuse(errno.EPERM), "new mount API"),
    "fsopen": (430, 430, refuse(errno.EPERM), "new mount API"),
    "fsconfig": (431, 431, refuse(errno.EPERM), "new mount API"),
    "fsmount": (432, 432, refuse(errno.EPERM), "new mount API"),
    "fspick": (433, 433, refuse(errno.EPERM), "new mount API"),
    "mount_setattr": (442, 442, refuse(errno.EPERM), "new mount API"),
    "open_tree_attr": (467, 467, refuse(errno.EPERM), "new mount API (Linux 6.15)"),
    # The kernel keyring is not namespaced: keys are the host's users'.
    "keyctl": (250, 219, refuse(errno.EPERM), "kernel keyring"),
    "add_key": (248, 217, refuse(errno.EPERM), "kernel keyring"),
    "request_key": (249, 218, refuse(errno.EPERM), "kernel keyring"),
    # Large kernel interfaces with a record of privilege escalations and no use in a program
    # run here: eBPF, performance counters, user-handled page faults (which let an exploit
    # stop the kernel mid-copy), io_uring.
    "bpf": (321, 280, refuse(errno.EPERM), "eBPF"),
    "perf_event_open": (298, 241, refuse(errno.EPERM), "performance counters"),
    "userfaultfd": (323, 282, refuse(errno.EPERM), "page faults handled by user code"),
    "io_uring_setup": (425, 425, refuse(errno.EPERM), "io_uring"),
    "io_uring_enter": (426, 426, refuse(errno.EPERM), "io_uring"),
    "io_uring_register": (427, 427, refuse(errno.EPERM), "io_uring"),
}


def architecture_rules(column, reject_x32):
    """The rules for one architecture's numbers; anything else is allowed (the container's profile still applies)."""
    program = [load(DATA_NR)]
    if reject_x32:
        # The x32 ABI reports x86_64 as its architecture and sets this bit in the number.
        program += [if_any_bit(X32_SYSCALL_BIT, 1), give(SECCOMP_RET_KILL_PROCESS)]
    for numbers in RUN_RULES.values():
        program += numbers[2](numbers[column])
    program.append(give(SECCOMP_RET_ALLOW))
    return program


def run_filter():
    """The whole program: x86_64 or aarch64 rules by the caller's architecture; any other (i386 or 32-bit ARM calls) is killed."""
    program = [load(DATA_ARCH)]
    for architecture, column, reject_x32 in ((AUDIT_ARCH_X86_64, 0, True), (AUDIT_ARCH_AARCH64, 1, False)):
        rules = architecture_rules(column, reject_x32)
        assert len(rules) < 256, "a BPF jump reaches at most 255 instructions"
        program += [if_equal(architecture, len(rules))] + rules
    program.append(give(SECCOMP_RET_KILL_PROCESS))
    return b"".join(program)


# ---------------------------------------------------------------------------------------------
# The jail.

# Docker hides these from a container by default. This container is started without those
# masks, as the kernel refuses to mount a new procfs (the jail's /proc) in a user namespace
# while any procfs mount it could see is partly covered. The jail hides them again, as
# Docker would: /dev/null over files, an empty read-only tmpfs over directories, read-only
# over what root could write. Only those that exist are named: bwrap cannot create a mount
# point in /proc or /sys. They are the kernel's, so the container's /proc tells which.
MASKED_FILES = ("/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug")
MASKED_DIRECTORIES = ("/proc/acpi", "/proc/asound", "/proc/scsi", "/sys/firmware",
                      "/sys/devices/virtual/powercap")
READ_ONLY = ("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")


def mask_arguments():
    arguments = []
    for path in MASKED_FILES:
        if os.path.exists(path):
            # --dev-bind: /dev/null keeps working as a device, so the file reads as empty.
            arguments += ["--dev-bind", "/dev/null", path]
    for path in MASKED_DIRECTORIES:
        if os.path.isdir(path):
            arguments += ["--tmpfs", path, "--remount-ro", path]
    for path in READ_ONLY:
        if os.path.exists(path):
            # Binds the container's own copy: these files are the kernel's, the same in every /proc.
            arguments += ["--ro-bind", path, path]
    return arguments


def jail_argv(scratch, filter_fd, status_fd, command_fd, read_only_project=False):
    """bwrap's command line for one jail: a shell in namespaces, files and a filter of its own, which
    reads its step's command from command_fd (launch_script), so the jail can be built before the
    step is known. With read_only_project the project's files are read-only to the program (a
    language server reads them, and must not change what the user saved); only /sandbox/.webide,
    where home, temporary files and caches are, stays writable."""
    argv = [
        BWRAP,
        # Its own processes, IPC objects, hostname, network (only a loopback) and cgroup root.
        "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net",
        "--unshare-cgroup-try",
        "--uid", str(os.getuid()), "--gid", str(os.getgid()), "--hostname", "sandbox",
        # bwrap's processes die with their parent: the jail's init (and so every process in its
        # PID namespace) when bwrap exits after the program, bwrap when the agent goes.
        "--die-with-parent",
        # No terminal of anyone else's to push input into (TIOCSTI).
        "--new-session",
        "--cap-drop", "ALL",
        # The step's environment comes with its command; nothing of the agent's.
        "--clearenv",
        # The image, read-only; the container's /proc, /dev, /tmp and scratch are covered below.
        "--ro-bind", "/", "/",
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", str(JAIL_TMPFS_BYTES), "--tmpfs", "/tmp",
        "--size", str(JAIL_TMPFS_BYTES), "--tmpfs", "/dev/shm",
    ]
    if read_only_project:
        argv += ["--ro-bind", scratch, JAIL_SCRATCH,
                 "--bind", os.path.join(scratch, PLATFORM_DIRECTORY), os.path.join(JAIL_SCRATCH, PLATFORM_DIRECTORY)]
    else:
        argv += ["--bind", scratch, JAIL_SCRATCH]
    argv += MASKS
    argv += [
        "--chdir", JAIL_SCRATCH,
        # bwrap reads the filter from this fd and closes it; the program never has it.
        "--seccomp", str(filter_fd),
        # Says "exit-code" only if the shell was started: tells a jail that failed from a program that did.
        "--json-status-fd", str(status_fd),
        "--",
        "/bin/sh", f"/proc/self/fd/{command_fd}",
    ]
    return argv


def launch_script(spec, command_fd):
    """What the jail's shell runs: closes the pipe it came through, sets the step's environment and
    becomes the step's program (exec: the same process, so the program is the jail's PID 2, as if
    bwrap had started it)."""
    lines = [f"exec {command_fd}<&-"]
    lines += ["export " + shlex.quote(f"{name}={value}") for name, value in spec["env"].items()]
    lines.append("exec " + " ".join(shlex.quote(argument) for argument in spec["argv"]))
    return ("\n".join(lines) + "\n").encode()


def can_start(program, path, scratch):
    """Whether the jail's shell will find the program: as exec would look for it (the PATH's
    directories for a bare name), with the jail's /sandbox being the run's scratch directory. A
    program that is not there is the agent's error (a bad request), never a program's exit code."""
    if "/" not in program:
        return shutil.which(program, path=path) is not None
    inside = program if program.startswith("/") else os.path.join(JAIL_SCRATCH, program)
    if inside == JAIL_SCRATCH or inside.startswith(JAIL_SCRATCH + "/"):
        inside = scratch + inside[len(JAIL_SCRATCH):]
    return os.path.isfile(inside) and os.access(inside, os.X_OK)


def filter_pipe():
    """A pipe holding the run's filter, its read end inheritable for bwrap (the filter is far below a pipe's buffer)."""
    reader, writer = os.pipe()
    os.write(writer, RUN_FILTER)
    os.close(writer)
    os.set_inheritable(reader, True)
    return reader


def spawn_jail(argv, file_actions):
    # The OOM killer should take the run's processes, never the agent. oom_score_adj is
    # inherited at fork and bwrap forks the jail at once, so the agent holds the run's value
    # itself for the moment of the spawn (it may lower it again: nothing raised its minimum).
    os.pwrite(OOM_SCORE_ADJ, OOM_SCORE_ADJ_RUN, 0)
    try:
        return os.posix_spawn(
            BWRAP, argv, {},
            file_actions=file_actions,
            setsid=True,
            # Python ignores SIGXFSZ and ignored signals survive exec: the program gets the
            # default, so a write past the file-size limit ends it as it would anywhere else.
            setsigdef=(signal.SIGXFSZ,))
    finally:
        os.pwrite(OOM_SCORE_ADJ, AGENT_OOM_SCORE_ADJ, 0)


def read_all(fd):
    chunks = []
    try:
        while chunk := os.read(fd, CHUNK):
            chunks.append(chunk)
    except BlockingIOError:
        pass
    os.close(fd)
    return b"".join(chunks)


class Scratch:
    """The run's own directory on the scratch tmpfs, its jails' /sandbox. A later run gets a new one."""

    def __init__(self, number):
        self.number = number
        self.path = os.path.join(SCRATCH_ROOT, f"run-{number}")
        os.mkdir(self.path, 0o700)

    def write_file(self, payload):
        (path_length,) = struct.unpack(">H", payload[:2])
        path = payload[2:2 + path_length].decode("utf-8")
        target = os.path.join(self.path, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            view = memoryview(payload)[2 + path_length:]
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def replace_file(self, payload):
        """A file written or replaced while a step runs (a language server's project kept current):
        written beside the run's directory and renamed into place, so the program never reads half
        of it. Paths come checked from the service; one that is not relative is refused anyway."""
        (path_length,) = struct.unpack(">H", payload[:2])
        path = self.checked(payload[2:2 + path_length].decode("utf-8"))
        target = os.path.join(self.path, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        staging = os.path.join(SCRATCH_ROOT, f".replace-{self.number}")
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        try:
            view = memoryview(payload)[2 + path_length:]
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        os.replace(staging, target)

    def remove(self, path):
        """A file or directory gone from the project while a step runs; nothing if it was not there."""
        target = os.path.join(self.path, self.checked(path))
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target, ignore_errors=True)
        else:
            try:
                os.unlink(target)
            except FileNotFoundError:
                pass

    @staticmethod
    def checked(path):
        parts = path.split("/")
        if not path or path.startswith("/") or any(part in ("", ".", "..") for part in parts) or parts[0] == PLATFORM_DIRECTORY:
            raise RuntimeError(f"refused project path {path!r}")
        return path

    def make_directories(self, directories):
        for directory in directories:
            os.makedirs(os.path.join(self.path, directory), exist_ok=True)

    def wipe(self):
        """Removes everything the run left; False if something could not be (a container to retire)."""
        try:
            # A directory the program made unreadable (chmod 000) is the same uid's: open it up first.
            os.chmod(self.path, 0o700)
            for root, directories, _ in os.walk(self.path):
                for name in directories:
                    child = os.path.join(root, name)
                    if not os.path.islink(child):
                        os.chmod(child, 0o700)
            shutil.rmtree(self.path)
            return True
        except (OSError, RecursionError):
            return False


class Jail:
    """A jail built before its step is known: bwrap has made its namespaces and mounts and its shell
    waits for the step's command. The agent builds the next run's jail while it waits for that run,
    so a run's latency does not include the jail's making (about 10 ms here). Never used twice."""

    def __init__(self, scratch, read_only_project=False):
        self.scratch = scratch
        self.out_r, out_w = os.pipe()
        self.err_r, err_w = os.pipe()
        in_r, self.in_w = os.pipe()
        self.status_r, status_w = os.pipe()
        command_r, self.command_w = os.pipe()
        os.set_inheritable(status_w, True)
        seccomp_r = filter_pipe()
        # Only the pipes become the program's 0, 1 and 2 and the command's 3 (a shell redirects single
        # digits only); every other fd of the agent is close-on-exec, bwrap closes the two it is given,
        # and the shell closes 3 before the program starts. The agent's own fds 3 to 5 are taken at its
        # start, so no pipe here is 3 already (which dup2 would leave close-on-exec).
        self.pid = spawn_jail(jail_argv(scratch.path, seccomp_r, status_w, JAIL_COMMAND_FD, read_only_project), [
            (os.POSIX_SPAWN_DUP2, in_r, 0),
            (os.POSIX_SPAWN_DUP2, out_w, 1),
            (os.POSIX_SPAWN_DUP2, err_w, 2),
            (os.POSIX_SPAWN_DUP2, command_r, JAIL_COMMAND_FD),
        ])
        for fd in (in_r, out_w, err_w, status_w, seccomp_r, command_r):
            os.close(fd)

    def abandon(self):
        """Lets a jail built ahead go unused (its step needs another kind): its shell reads no
        command and exits, and is reaped with the step's children."""
        for fd in (self.command_w, self.out_r, self.err_r, self.in_w, self.status_r):
            os.close(fd)

    def launch(self, spec):
        """Hands the jail its step: the program starts now."""
        if not can_start(spec["argv"][0], spec["env"].get("PATH", ""), self.scratch.path):
            raise RuntimeError(f"the jail did not start {spec['argv'][0]!r}: no such program")
        try:
            os.write(self.command_w, launch_script(spec, JAIL_COMMAND_FD))
        except BrokenPipeError:
            # The jail is gone already (it failed to build): its status says so when it is reaped.
            pass
        os.close(self.command_w)


class Step:
    """One process tree (compile or run) in its own jail, with its pipes, deadline and accounting."""

    def __init__(self, spec, reader, session, scratch, jail=None):
        self.spec = spec
        self.jail = jail
        self.reader = reader
        self.session = session
        self.scratch = scratch
        self.name = spec["name"]
        self.forward = spec.get("forwardOutput", True)
        self.takes_stdin = spec.get("stdin", True)
        self.read_only_project = spec.get("readOnlyProject", False)
        self.output_cap = spec.get("maxOutputBytes", 1 << 20)
        self.output_bytes = 0
        self.captured = bytearray()
        self.stderr_tail = bytearray()
        self.killed = False
        self.timed_out = False
        self.output_limited = False
        self.cpu = 0.0
        self.peak = 0

    def start(self):
        # The first step's jail was built while the agent waited for the run; a later step's is built
        # now, as is one whose project is read-only (the jail built ahead binds it writable).
        jail = self.jail
        if jail is not None and self.read_only_project:
            jail.abandon()
            jail = None
        jail = jail or Jail(self.scratch, self.read_only_project)
        self.pid = jail.pid
        self.status_r = jail.status_r
        in_w = jail.in_w
        self.oom_before = oom_kills()
        self.started = time.monotonic()
        jail.launch(self.spec)
        self.stdin_fd = in_w
        fcntl.fcntl(in_w, fcntl.F_SETFL, os.O_NONBLOCK)
        fcntl.fcntl(self.status_r, fcntl.F_SETFL, os.O_NONBLOCK)
        self.readers = {jail.out_r: b"O", jail.err_r: b"E"}
        self.close_stdin_if_done()

    def close_stdin_if_done(self):
        # A step without stdin (a compiler) sees it closed; what the user sends meanwhile waits for the run.
        done = not self.takes_stdin or (self.session.stdin_closed and not self.session.pending_stdin)
        if self.stdin_fd is not None and done:
            os.close(self.stdin_fd)
            self.stdin_fd = None

    def on_output(self, fd, kind):
        try:
            data = os.read(fd, CHUNK)
        except OSError:
            data = b""
        if not data:
            os.close(fd)
            del self.readers[fd]
            return
        if kind == b"E":
            # bwrap reports its own failures here: kept for the agent's error if the jail fails.
            self.stderr_tail = (self.stderr_tail + data)[-512:]
        if self.output_limited:
            return
        room = self.output_cap - self.output_bytes
        if len(data) > room:
            data = data[:room]
            self.output_limited = True
        self.output_bytes += len(data)
        if self.forward:
            if data:
                send(kind, data)
        else:
            self.captured.extend(data)
        if self.output_limited:
            kill_everything()

    def on_input(self):
        try:
            self.reader.fill()
        except OSError:
            self.reader.closed = True
        for kind, payload in self.reader.frames():
            if kind == b"I" and not self.session.stdin_closed:
                if len(self.session.pending_stdin) + len(payload) > STDIN_BUFFER_CAP:
                    raise RuntimeError("stdin buffer overflow")
                self.session.pending_stdin.extend(payload)
            elif kind == b"C":
                self.session.stdin_closed = True
            elif kind == b"K":
                self.killed = True
                kill_everything()
            elif kind == b"U":
                self.scratch.replace_file(payload)
            elif kind == b"N":
                self.scratch.remove(payload.decode("utf-8"))
        if self.reader.closed:
            # The service went away: nobody is left to read the result.
            kill_everything()
            self.killed = True

    def on_stdin_writable(self):
        pending = self.session.pending_stdin
        try:
            written = os.write(self.stdin_fd, pending[:CHUNK])
            del pending[:written]
        except BlockingIOError:
            pass
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise
            # The program closed its stdin: what it did not read is dropped.
            pending.clear()
            self.session.stdin_closed = True

    def reap(self):
        """Collects every ended child; returns bwrap's status if it was among them.

        bwrap exits as soon as the program does, with the program's exit code. The program's
        CPU time and peak memory are not in bwrap's own usage but in that of the jail's init,
        which reaps the program and its orphans: init is reparented here when bwrap exits
        (PID 1, and a subreaper) and reaped by end_all, so adding up every child reaped here
        counts the whole jail, bwrap's few milliseconds of setup included."""
        main_status = None
        while True:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                self.children_left = False
                return main_status
            if pid == 0:
                return main_status
            self.cpu += usage.ru_utime + usage.ru_stime
            self.peak = max(self.peak, usage.ru_maxrss * 1024)
            if pid == self.pid:
                main_status = status

    def end_all(self):
        """Kills and reaps until no process but the agent is left: a fork caught mid-kill is killed again."""
        main_status = None
        self.children_left = True
        while self.children_left:
            kill_everything()
            status = self.reap()
            main_status = status if status is not None else main_status
            if self.children_left:
                select.select([CHILD_EXITED], [], [], 0.01)
                drain_wakeups()
        return main_status

    def run(self):
        self.start()
        deadline = self.started + self.spec["timeoutMs"] / 1000.0
        main_status = None
        while main_status is None:
            self.close_stdin_if_done()
            watched = list(self.readers) + [CHILD_EXITED]
            if not self.reader.closed:
                watched.append(IN)
            writers = [self.stdin_fd] if self.stdin_fd is not None and self.session.pending_stdin else []
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.timed_out = True
                kill_everything()
                break
            readable, writable, _ = select.select(watched, writers, [], remaining)
            for fd in readable:
                if fd == CHILD_EXITED:
                    drain_wakeups()
                elif fd == IN:
                    self.on_input()
                else:
                    self.on_output(fd, self.readers[fd])
            if writable:
                self.on_stdin_writable()
            main_status = self.reap()
        wall = time.monotonic() - self.started
        # Whatever the program left running ends with it (the jail's init usually took it along).
        ended = self.end_all()
        main_status = main_status if main_status is not None else ended
        self.drain()
        if self.stdin_fd is not None:
            os.close(self.stdin_fd)
            self.stdin_fd = None
        oom = oom_kills() > self.oom_before
        # Every process is gone, so every writer of the status pipe is closed.
        program_started = b'"exit-code"' in read_all(self.status_r)
        if not program_started and not (self.killed or self.timed_out or self.output_limited or oom):
            raise RuntimeError(f"the jail did not start {self.spec['argv'][0]!r} (bwrap exit "
                               f"{shell_exit_code(main_status)}): {bytes(self.stderr_tail).decode('utf-8', 'replace')}")
        result = {
            "step": self.name,
            "exitCode": shell_exit_code(main_status),
            "wallMs": int(wall * 1000),
            "cpuMs": int(self.cpu * 1000),
            "peakMemoryBytes": self.peak,
            "timedOut": self.timed_out,
            "outputLimited": self.output_limited,
            "oomKilled": oom,
            "killed": self.killed,
        }
        if not self.forward:
            result["output"] = self.captured.decode("utf-8", "replace")
        return result

    def drain(self):
        drain_until = time.monotonic() + 0.5
        while self.readers and time.monotonic() < drain_until:
            readable, _, _ = select.select(list(self.readers), [], [], 0.05)
            for fd in readable:
                self.on_output(fd, self.readers[fd])
        for fd in list(self.readers):
            os.close(fd)
        self.readers.clear()


class Session:
    """What outlives a step: stdin sent for the run while an earlier step was going."""

    def __init__(self):
        self.pending_stdin = bytearray()
        self.stdin_closed = False


def table_rows(path):
    """A kernel table's rows without its header line; empty when the kernel has no such table."""
    try:
        with open(path) as f:
            return [line.strip() for line in f.readlines()[1:] if line.strip()]
    except OSError:
        return []


def directory_entries(path):
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


class Baseline:
    """What the container holds with no run in it, recorded before the first run and compared after each.

    The jails' own namespaces (their processes, IPC objects and sockets) die with them; these
    are the container's, where anything that got out of a jail would be."""

    SOCKET_TABLES = ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix", "packet")

    def __init__(self):
        own = str(os.getpid())
        self.parts = {
            "processes": [pid for pid in directory_entries("/proc") if pid.isdigit() and pid != own],
            "ipc": [row for table in ("shm", "sem", "msg") for row in table_rows(f"/proc/sysvipc/{table}")],
            "message queues": directory_entries("/dev/mqueue"),
            "sockets": [row for table in self.SOCKET_TABLES for row in table_rows(f"/proc/net/{table}")],
            "shared memory": directory_entries("/dev/shm"),
            "scratch": directory_entries(SCRATCH_ROOT),
            "scratch usage": scratch_usage(),
        }

    def differences(self, earlier):
        return [name for name, value in self.parts.items() if earlier.parts[name] != value]


def scratch_usage():
    """Blocks and inodes in use on the scratch tmpfs: back where they were once a run's directory is gone."""
    stat = os.statvfs(SCRATCH_ROOT)
    return (stat.f_blocks - stat.f_bfree, stat.f_files - stat.f_ffree)


def scratch_exhausted():
    """Whether the run used up the scratch disk's space or inodes (a limit hit, like any other)."""
    stat = os.statvfs(SCRATCH_ROOT)
    return stat.f_bavail == 0 or (stat.f_files > 0 and stat.f_favail == 0)


def serve_run(reader, scratch, jail, baseline):
    """One run: its files and request, each step in a fresh jail (the first in `jail`, built ahead),
    then its scratch directory wiped.

    Returns the run's D frame: whether the container may serve the same user's next run, and
    if not, why. None when the service went away before the run began."""
    reasons = []
    pids_before = process_limit_hits()
    try:
        results = run_steps(reader, Session(), scratch, jail)
    finally:
        if scratch_exhausted():
            reasons.append("scratch disk full")
        if not scratch.wipe():
            reasons.append("scratch not wiped")
    if results is None:
        return None
    for result in results:
        reasons += [flag for flag in ("timedOut", "oomKilled", "outputLimited", "killed") if result[flag]]
    if process_limit_hits() > pids_before:
        reasons.append("process limit")
    reasons += [f"{part} differ from the baseline" for part in Baseline().differences(baseline)]
    return {"run": scratch.number, "reusable": not reasons, "reasons": reasons}


def run_steps(reader, session, scratch, jail):
    """The run's steps' results, or None when the service went away (or killed it) before its request."""
    request = None
    begun = False
    while request is None:
        reader.fill()
        if reader.closed:
            return None
        for kind, payload in reader.frames():
            if kind == b"F":
                begun = True
                scratch.write_file(payload)
            elif kind == b"R":
                begun = True
                request = json.loads(payload)
            elif not begun:
                # Input, close or kill that the previous run's caller sent after its last step
                # ended: not this run's, and dropped (a run's own frames follow its F or R).
                continue
            elif kind == b"I":
                session.pending_stdin.extend(payload)
            elif kind == b"C":
                session.stdin_closed = True
            elif kind == b"K":
                return None
            elif kind == b"U":
                scratch.replace_file(payload)
            elif kind == b"N":
                scratch.remove(payload.decode("utf-8"))
    scratch.make_directories(request.get("directories", []))
    results = []
    for index, spec in enumerate(request["steps"]):
        result = Step(spec, reader, session, scratch, jail if index == 0 else None).run()
        results.append(result)
        send(b"X", json.dumps(result).encode())
        if result["exitCode"] != 0 or result["killed"] or result["timedOut"] or result["oomKilled"]:
            break
    return results


def main():
    # Runs one after another, each in a scratch directory of its own, for as long as each
    # leaves the container as it found it. The baseline is taken before anything ran.
    reader = FrameReader()
    baseline = Baseline()
    number = 1
    while True:
        # The run's directory and its first jail, made before its request comes: after the
        # baseline check of the run before (the D frame is out), so neither is in the check.
        scratch = Scratch(number)
        done = serve_run(reader, scratch, Jail(scratch), baseline)
        if done is None:
            return
        send(b"D", json.dumps(done).encode())
        if not done["reusable"] or reader.closed:
            return
        number += 1


RUN_FILTER = run_filter()
MASKS = mask_arguments()

if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # Python's own SIGINT handler would let a process of the same uid end the agent with
    # `kill -INT 1`, and the run's verdict with it; the kernel drops default-action signals
    # sent to a namespace's init from inside.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    libc = ctypes.CDLL(None, use_errno=True)
    # Orphans come back here even where the agent is not PID 1 (a check on a host): the jail's
    # init, once bwrap has exited, must be reaped here for its usage to count.
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    # Opened while the agent is still dumpable: /proc/self of a non-dumpable process belongs
    # to root. Written around each spawn (spawn_jail).
    OOM_SCORE_ADJ = os.open("/proc/self/oom_score_adj", os.O_RDWR | os.O_CLOEXEC)
    AGENT_OOM_SCORE_ADJ = os.pread(OOM_SCORE_ADJ, 16, 0).strip() or b"0"
    # Programs run in jails of their own and cannot see the agent; should one ever reach it, a
    # process that is not dumpable is out of reach of same-uid processes without
    # CAP_SYS_PTRACE (no ptrace, no /proc/1/fd, no raising its OOM score).
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    # SIGCHLD wakes select() through this pipe, so a step's end is seen at once, not polled.
    CHILD_EXITED, wakeup_writer = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wakeup_writer)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    try:
        main()
    except Exception as error:  # noqa: BLE001 — the service must hear why, whatever it was
        send(b"A", repr(error).encode())
        kill_everything()
        sys.exit(70)
