#!/usr/bin/env python3
"""Checks the sandbox agent's jail (services/Execution/Sandbox/agent.py) as the execution
service uses it: the agent is started as a sandbox container's PID 1 and spoken to in its
frames over stdin/stdout; every check is one run of its own.

Usage:
  jail-check.py self-test
      The run's seccomp filter, run through a BPF interpreter here: every rule on both
      architectures, and the syscall numbers against this machine's headers. No root.
  jail-check.py host [--profile] [CHECK...]
      On this machine, as root, with bubblewrap installed: the agent runs as uid 10000,
      PID 1 of new PID and mount namespaces, in a root of its own made of the host's /usr,
      /etc, /var and /work with a 64 MiB tmpfs at /sandbox (nothing of the host is written).
      --profile also applies the containers' seccomp profile (sandbox-seccomp.json) the way
      runc would; it needs python3-seccomp.
  jail-check.py docker [--image TAG] [CHECK...]
      Each run in a container of the runner image, set up as SandboxFactory sets it up.
  jail-check.py exec [--image TAG] [--memory SIZE] [--timeout SECONDS] -- COMMAND...
      One step, COMMAND, through the agent in such a container: prints its output and exits
      with its exit code (smoke.sh --jail).

Prints PASS or FAIL per check; exits 1 if any failed.
"""
import json
import os
import platform
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
AGENT = os.path.join(REPO, "services", "Execution", "Sandbox", "agent.py")
PROFILE = os.path.join(REPO, "services", "Execution", "Sandbox", "sandbox-seccomp.json")

# As services/Execution/Layout/SandboxLayout.cs gives them to every step.
ENVIRONMENT = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/sandbox/.webide/home",
    "TMPDIR": "/sandbox/.webide/tmp",
    "PYTHONUNBUFFERED": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "GOCACHE": "/sandbox/.webide/cache/go-build",
    "GOPATH": "/sandbox/.webide/cache/go",
    "GOTMPDIR": "/sandbox/.webide/tmp",
    "GOTOOLCHAIN": "local",
}
DIRECTORIES = [".webide/build", ".webide/tmp", ".webide/home", ".webide/cache"]
RUNNER_UID = 10000
# Whether the containers' seccomp profile is in force (docker, host --profile): some answers depend on it.
CONTAINER_PROFILE_APPLIED = True


# ---------------------------------------------------------------------------------------------
# Speaking to the agent.

class Outcome:
    def __init__(self):
        self.stdout = bytearray()
        self.stderr = bytearray()
        self.steps = []
        self.errors = []
        self.agent_log = b""
        self.exit = None
        self.done = None
        self.then = []

    def step(self, name="run"):
        return next((step for step in self.steps if step["step"] == name), None)

    def __str__(self):
        return (f"steps {self.steps}, errors {self.errors}, stdout {bytes(self.stdout[-800:])!r}, "
                f"stderr {bytes(self.stderr[-800:])!r}, done {self.done}, agent exit {self.exit}, agent log {self.agent_log[-800:]!r}")


def frame(kind, payload=b""):
    return struct.pack(">cI", kind, len(payload)) + payload


def file_frame(path, content):
    encoded = path.encode()
    return frame(b"F", struct.pack(">H", len(encoded)) + encoded + content)


def step(argv, name="run", timeout_ms=10_000, max_output=1 << 20, forward=True, stdin=True):
    return {"name": name, "argv": argv, "env": ENVIRONMENT, "timeoutMs": timeout_ms,
            "maxOutputBytes": max_output, "forwardOutput": forward, "stdin": stdin}


def python(source, **options):
    """A step running `source` as main.py (the file is added by run())."""
    return step(["python3", "main.py"], **options), source


def request_frames(steps, files, stdin, close_stdin):
    """A run's files, request and stdin, in the order the service sends them."""
    files = dict(files or {})
    request_steps = []
    for item in steps:
        if isinstance(item, tuple):
            item, source = item
            files["main.py"] = source.encode()
        request_steps.append(item)
    frames = [file_frame(path, content) for path, content in files.items()]
    frames.append(frame(b"R", json.dumps({"steps": request_steps, "directories": DIRECTORIES}).encode()))
    if stdin:
        frames.append(frame(b"I", stdin))
    if close_stdin:
        frames.append(frame(b"C"))
    return b"".join(frames)


def run(launch, steps, files=None, stdin=b"", close_stdin=True, on_output=None, deadline_s=90, then=()):
    """One run, or several in one agent: each of `then` (steps, files) is sent once the agent said
    the one before was done (its D frame), as the service hands a container to the same user's
    next run. Frames are read until the agent exits; the outcomes come back one per run, the
    first being the one returned, the others in its `then`."""
    process = subprocess.Popen(launch, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    outcomes = [Outcome()]
    pending = list(then)
    log = []
    threading.Thread(target=lambda: log.append(process.stderr.read()), daemon=True).start()
    process.stdin.write(request_frames(steps, files, stdin, close_stdin))
    process.stdin.flush()

    buffer = bytearray()
    deadline = time.monotonic() + deadline_s
    fd = process.stdout.fileno()
    while True:
        outcome = outcomes[-1]
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            outcome.errors.append("no end within the check's deadline")
            process.kill()
            break
        data = os.read(fd, 65536)
        if not data:
            break
        buffer.extend(data)
        while len(buffer) >= 5:
            kind, length = struct.unpack(">cI", buffer[:5])
            if len(buffer) < 5 + length:
                break
            payload = bytes(buffer[5:5 + length])
            del buffer[:5 + length]
            if kind == b"O":
                outcome.stdout.extend(payload)
            elif kind == b"E":
                outcome.stderr.extend(payload)
            elif kind == b"X":
                outcome.steps.append(json.loads(payload))
            elif kind == b"A":
                outcome.errors.append(payload.decode("utf-8", "replace"))
            elif kind == b"D":
                outcome.done = json.loads(payload)
                try:
                    if pending and outcome.done["reusable"]:
                        next_steps, next_files = pending.pop(0)
                        outcomes.append(Outcome())
                        outcome = outcomes[-1]
                        process.stdin.write(request_frames(next_steps, next_files, b"", True))
                        process.stdin.flush()
                    else:
                        # Nothing more to run: the agent ends when its stdin does, as when the service goes.
                        process.stdin.close()
                except BrokenPipeError:
                    pass
            if on_output is not None and kind in (b"O", b"E"):
                on_output(process, payload)
    try:
        process.stdin.close()
    except BrokenPipeError:
        pass
    exit_code = process.wait()
    time.sleep(0.05)
    for outcome in outcomes:
        outcome.exit = exit_code
        outcome.agent_log = b"".join(log)
    outcomes[0].then = outcomes[1:]
    return outcomes[0]


def agent_source():
    with open(AGENT) as f:
        return f.read()


# ---------------------------------------------------------------------------------------------
# Where the agent runs.

def host_launch(profile, mount_point):
    """The agent as uid 10000, PID 1 of new PID and mount namespaces.

    Its root is made for it, so nothing of the host is written and the host need not have a
    /sandbox: a tmpfs holding binds of the host's /usr, /etc, /var and /work (where this
    checkout is; --profile reads this script and the profile from it), its own /proc, the
    host's /dev and /sys, an empty /tmp and a 64 MiB /sandbox tmpfs, switched to with
    pivot_root (a chroot would not do: the kernel refuses a user namespace to a chrooted
    process)."""
    setup = f'''set -e
root="{mount_point}"
mount -t tmpfs -o mode=0755 tmpfs "$root"
for link in bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$link" ]; then cp -P "/$link" "$root/"; fi
done
for dir in usr etc var work; do
  if [ -d "/$dir" ]; then mkdir "$root/$dir"; mount --rbind "/$dir" "$root/$dir"; fi
done
mkdir "$root/dev" "$root/sys" "$root/proc" "$root/tmp" "$root/sandbox" "$root/.old"
mount --rbind /dev "$root/dev"
mount --rbind /sys "$root/sys"
mount -t proc proc "$root/proc"
mount -t tmpfs -o size=64m,mode=0700,uid={RUNNER_UID},gid={RUNNER_UID} tmpfs "$root/sandbox"
cd "$root"
pivot_root . .old
umount -l /.old
rmdir /.old
cd /
exec prlimit --nofile=256 --core=0 -- setpriv --reuid={RUNNER_UID} --regid={RUNNER_UID} --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all -- "$@"
'''
    agent = ["/usr/bin/python3", "-I", "-S", "-c", agent_source()]
    if profile:
        agent = ["/usr/bin/python3", "-I", os.path.abspath(__file__), "apply-profile", PROFILE, "--"] + agent
    return ["unshare", "--mount", "--pid", "--fork", "--propagation", "private", "--",
            "/bin/sh", "-c", setup, "sh"] + agent


def docker_launch(image, memory="256m", scratch_bytes=64 << 20):
    """A container as SandboxFactory creates it (services/Execution/Sandbox/SandboxFactory.cs)."""
    return [
        "docker", "run", "-i", "--rm", "--name", f"webide-jailcheck-{os.getpid()}-{time.monotonic_ns()}",
        "--user", f"{RUNNER_UID}:{RUNNER_UID}", "--hostname", "sandbox", "--workdir", "/sandbox",
        "--env", "PATH=/usr/local/bin:/usr/bin:/bin", "--env", "LANG=C.UTF-8",
        "--network", "none", "--log-driver", "none",
        "--memory", memory, "--memory-swap", memory, "--cpus", "1", "--pids-limit", "67",
        "--read-only", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges",
        "--security-opt", f"seccomp={PROFILE}",
        "--security-opt", "systempaths=unconfined",
        "--ipc", "private", "--shm-size", "8m",
        "--tmpfs", f"/sandbox:rw,exec,nosuid,nodev,size={scratch_bytes},nr_inodes={scratch_bytes // 4096},uid={RUNNER_UID},gid={RUNNER_UID},mode=0700",
        "--ulimit", f"fsize={scratch_bytes}", "--ulimit", "nofile=256:256", "--ulimit", "core=0",
        "--entrypoint", "python3",
        image, "-I", "-S", "-c", agent_source(),
    ]


def apply_profile(path, command):
    """Loads a Docker seccomp profile as runc does (names unknown here are skipped), then execs command."""
    import seccomp  # python3-seccomp

    with open(path) as f:
        profile = json.load(f)
    default = seccomp.ERRNO(profile.get("defaultErrnoRet", 1))
    syscall_filter = seccomp.SyscallFilter(defaction=default)
    for group in profile["syscalls"]:
        if group["action"] == "SCMP_ACT_ALLOW":
            action = seccomp.ALLOW
        else:
            action = seccomp.ERRNO(group.get("errnoRet", 1))
        for name in group["names"]:
            try:
                syscall_filter.add_rule(action, name)
            except Exception:  # noqa: BLE001 — a name this libseccomp does not know, as runc ignores it
                pass
    syscall_filter.load()
    os.execv(command[0], command)


# ---------------------------------------------------------------------------------------------
# The programs.

REFUSALS = open(os.path.join(HERE, "probes", "refusals.py")).read()

FDS = r'''
import os
beyond = []
for fd in range(3, 1024):
    try:
        os.fstat(fd)
        beyond.append((fd, os.readlink(f"/proc/self/fd/{fd}")))
    except OSError:
        pass
print("beyond stdio:", beyond)
'''

PROCESSES = r'''
import os
for pid in sorted(int(name) for name in os.listdir("/proc") if name.isdigit()):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command = f.read().split(b"\0")
        print(pid, os.path.basename(command[0].decode()), b" ".join(command[1:3]).decode()[:40])
    except OSError as error:
        print(pid, "unreadable", error.strerror)
print("me", os.getpid())
'''

ENVIRONMENT_PROBE = r'''
import errno, os, socket
def show(label, action):
    try:
        print(label, action())
    except OSError as error:
        print(label, "refused", errno.errorcode.get(error.errno, error.errno))
def read(path):
    with open(path, "rb") as f:
        return f.read(64)
def write(path, data=b"x"):
    with open(path, "wb") as f:
        f.write(data)
    return "written"
print("hostname", socket.gethostname())
print("cwd", os.getcwd())
print("ids", os.getuid(), os.getgid(), os.geteuid(), os.getegid())
print("env", " ".join(sorted(os.environ)))
print("sandbox", sorted(os.listdir("/sandbox")))
print("tmp", sorted(os.listdir("/tmp")), "shm", sorted(os.listdir("/dev/shm")))
show("tmp_write", lambda: write("/tmp/x"))
show("shm_write", lambda: write("/dev/shm/x"))
show("root_write", lambda: write("/x"))
show("etc_write", lambda: write("/etc/x"))
show("capabilities", lambda: [line.split()[1] for line in open("/proc/self/status") if line.startswith("CapEff")][0])
show("no_new_privs", lambda: [line.split()[1] for line in open("/proc/self/status") if line.startswith("NoNewPrivs")][0])
show("seccomp", lambda: [line.split()[1] for line in open("/proc/self/status") if line.startswith("Seccomp_filters")])
for path in ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug"]:
    show(path, lambda: read(path) if os.path.exists(path) else "absent")
for path in ["/proc/acpi", "/proc/scsi", "/sys/firmware"]:
    show(path, lambda: os.listdir(path) if os.path.exists(path) else "absent")
show("proc_sys_write", lambda: write("/proc/sys/kernel/hostname", b"escaped"))
show("sysrq", lambda: write("/proc/sysrq-trigger", b"h") if os.path.exists("/proc/sysrq-trigger") else "absent")
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
client = socket.create_connection(server.getsockname(), timeout=2)
print("loopback", "connected")
show("outside", lambda: socket.create_connection(("1.1.1.1", 80), timeout=2) and "CONNECTED")
'''

BACKGROUND = r'''
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.closerange(0, 3)
        while True:
            with open("/sandbox/beat", "a") as f:
                f.write("x")
            time.sleep(0.05)
    os._exit(0)
time.sleep(0.3)
print("beating", os.path.getsize("/sandbox/beat") > 0, flush=True)
'''

BACKGROUND_SHELL = "setsid nohup sh -c 'while :; do echo x >> /sandbox/beat-shell; sleep 0.05; done' >/dev/null 2>&1 &\nsleep 0.3\necho started"

STILL_BEATING = r'''
import os, sys, time
for name in sys.argv[1:]:
    before = os.path.getsize(name)
    time.sleep(0.5)
    print(name, "still beating" if os.path.getsize(name) != before else "stopped")
'''

ACCOUNTING = r'''
import os, time
if os.fork() == 0:
    held = b"x" * (96 << 20)  # a waited-for child holding 96 MiB
    time.sleep(0.2)
    os._exit(0)
if os.fork() == 0:
    if os.fork() == 0:  # an orphan, reaped by the jail's init, burning 0.4 s of CPU
        end = time.process_time() + 0.4
        while time.process_time() < end:
            pass
        os._exit(0)
    os._exit(0)
os.wait(); os.wait()
time.sleep(0.8)
print("done")
'''


# ---------------------------------------------------------------------------------------------
# The checks: each returns a failure's description, or None.

def expect(condition, outcome, what):
    return None if condition else f"{what}: {outcome}"


def check_refusals(launch):
    outcome = run(launch, [python(REFUSALS)])
    lines = outcome.stdout.decode().splitlines()
    refused = [line for line in lines if " refused " in line or " DONE " in line]
    wrong = [line for line in refused if line != ("clone3 refused ENOSYS" if line.startswith("clone3 ") else f"{line.split()[0]} refused EPERM")]
    return (expect(len(refused) == 26 and not wrong, outcome, f"every namespace, mount, keyring, bpf, perf, userfaultfd and io_uring call refused; wrong: {wrong}")
            or expect(lines[-3:] == ["fork 3", "thread ran", "subprocess child"], outcome, "fork, threads and child processes work"))


def check_fds(launch):
    outcome = run(launch, [python(FDS)])
    return expect(outcome.stdout == b"beyond stdio: []\n", outcome, "only fds 0, 1 and 2 reach the program")


def check_processes(launch):
    outcome = run(launch, [python(PROCESSES)])
    lines = outcome.stdout.decode().splitlines()
    return expect(len(lines) == 3 and lines[0].startswith("1 bwrap") and lines[1].startswith("2 python3 main.py") and lines[2] == "me 2",
                  outcome, "only the jail's init (bwrap) and the program are visible; the agent is not")


# Only with the containers' profile: without it the attach succeeds and stops the jail's init,
# which then never reports the program's end (the run times out; nothing outside the jail is hurt).
PTRACE_PROBE = r'''
import ctypes
print("ptrace_pid1", "refused" if ctypes.CDLL(None, use_errno=True).ptrace(16, 1, None, None) != 0 else "ATTACHED")
'''


def check_environment(launch):
    source = ENVIRONMENT_PROBE + (PTRACE_PROBE if CONTAINER_PROFILE_APPLIED else "")
    outcome = run(launch, [python(source)], files={"data/input.txt": b"x"})
    text = outcome.stdout.decode()
    wanted = [
        "hostname sandbox\n", "cwd /sandbox\n", f"ids {RUNNER_UID} {RUNNER_UID} {RUNNER_UID} {RUNNER_UID}\n",
        # bwrap adds PWD, as a shell would.
        f"env {' '.join(sorted(set(ENVIRONMENT) | {'PWD'}))}\n",
        "sandbox ['.webide', 'data', 'main.py']\n", "tmp [] shm []\n",
        "tmp_write written\n", "shm_write written\n",
        "capabilities 0000000000000000\n", "no_new_privs 1\n",
        "loopback connected\n",
    ]
    missing = [line for line in wanted if line and line not in text]
    patterns = [r"root_write refused E(ROFS|ACCES)\n", r"etc_write refused E(ROFS|ACCES)\n",
                r"/proc/kcore (b''|absent)\n", r"/proc/keys (b''|absent)\n", r"/proc/timer_list (b''|absent)\n",
                r"/proc/sched_debug (b''|absent)\n", r"/proc/acpi (\[\]|absent)\n", r"/proc/scsi (\[\]|absent)\n",
                r"/sys/firmware (\[\]|absent)\n", r"proc_sys_write refused E(ROFS|ACCES)\n",
                r"sysrq (refused E[A-Z]+|absent)\n", r"outside refused ENETUNREACH\n"]
    if CONTAINER_PROFILE_APPLIED:
        # ptrace is not in the containers' profile: the jail's init (same uid, dumpable) stays out of reach.
        patterns.append(r"ptrace_pid1 refused\n")
    unmatched = [pattern for pattern in patterns if not re.search(pattern, text)]
    result = outcome.step() or {}
    return expect(not missing and not unmatched and result.get("exitCode") == 0, outcome,
                  f"the jail's view (missing {missing}, unmatched {unmatched})")


def check_background(launch):
    outcome = run(launch, [
        python(BACKGROUND, name="compile", forward=False, stdin=False),
        step(["bash", "-c", BACKGROUND_SHELL], name="shell", forward=False, stdin=False),
        step(["python3", "-c", STILL_BEATING, "/sandbox/beat", "/sandbox/beat-shell"]),
    ])
    first = outcome.step("compile")
    return (expect(first is not None and first["exitCode"] == 0 and first["wallMs"] < 3000 and "beating True" in first.get("output", ""),
                   outcome, "a step ends when its program does, though a double-forked child lives on")
            or expect(outcome.stdout == b"/sandbox/beat stopped\n/sandbox/beat-shell stopped\n", outcome,
                      "the background processes (double fork, setsid nohup) are gone before the next step"))


def check_exit_codes(launch):
    failures = []
    for source, code in [("raise SystemExit(7)", 7), ("import os, signal; os.kill(os.getpid(), signal.SIGTERM)", 143),
                         ("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", 139)]:
        outcome = run(launch, [python(source)])
        result = outcome.step()
        if result is None or result["exitCode"] != code or outcome.errors:
            failures.append(f"{source!r} should exit {code}: {outcome}")
    return "; ".join(failures) or None


def check_accounting(launch):
    outcome = run(launch, [python(ACCOUNTING)])
    result = outcome.step() or {}
    return expect(result.get("exitCode") == 0 and result.get("cpuMs", 0) >= 350 and result.get("peakMemoryBytes", 0) >= 96 << 20,
                  outcome, "CPU time and peak memory count the jail's processes, orphans reaped by its init included")


def check_timeout(launch):
    outcome = run(launch, [python("import time; print('sleeping', flush=True); time.sleep(30)", timeout_ms=1000)])
    result = outcome.step() or {}
    return expect(result.get("timedOut") and result.get("exitCode") == 137 and result.get("wallMs", 0) < 3000,
                  outcome, "a step over its time is killed at its deadline")


def check_stdin(launch):
    outcome = run(launch, [python("import sys; print(sys.stdin.read().upper(), end='')")], stdin=b"hello\nworld\n")
    return expect(outcome.stdout == b"HELLO\nWORLD\n" and (outcome.step() or {}).get("exitCode") == 0, outcome,
                  "stdin reaches the program")


def check_kill(launch):
    def kill_when_ready(process, payload):
        if b"ready" in payload:
            process.stdin.write(frame(b"K"))
            process.stdin.flush()
    outcome = run(launch, [python("import time; print('ready', flush=True); time.sleep(30)")], close_stdin=False,
                  on_output=kill_when_ready)
    result = outcome.step() or {}
    return expect(result.get("killed") and result.get("exitCode") == 137 and result.get("wallMs", 99999) < 5000, outcome,
                  "a kill frame ends the step")


def check_output_cap(launch):
    outcome = run(launch, [python("import sys\nwhile True: sys.stdout.write('x' * 10000)", max_output=1000)])
    result = outcome.step() or {}
    return expect(result.get("outputLimited") and len(outcome.stdout) == 1000, outcome, "output stops exactly at the cap")


def check_jail_failure(launch):
    outcome = run(launch, [step(["/nonexistent/program"])])
    return expect(not outcome.steps and any("the jail did not start" in error for error in outcome.errors), outcome,
                  "a program the jail cannot start is the agent's error, not a run's exit code")


def check_oom(launch):
    outcome = run(launch, [python("held = []\nwhile True: held.append(b'x' * (8 << 20))")])
    result = outcome.step() or {}
    return expect(result.get("oomKilled") and result.get("exitCode") == 137, outcome, "the OOM killer takes the program and it is reported")


LEAVE_BEHIND = """
import os, subprocess
os.makedirs("/sandbox/kept/locked")
open("/sandbox/kept/locked/file", "w").write("run 1")
os.chmod("/sandbox/kept/locked", 0)
os.symlink("/etc/passwd", "/sandbox/planted")
open("/tmp/left", "w").write("run 1")
subprocess.Popen(["setsid", "nohup", "sleep", "300"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("left", flush=True)
"""

LOOK_AROUND = """
import os
print("sandbox", sorted(os.listdir("/sandbox")), "tmp", os.listdir("/tmp"))
print("processes", len([name for name in os.listdir("/proc") if name.isdigit()]))
"""


def check_reuse(launch):
    outcome = run(launch, [python(LEAVE_BEHIND)], then=[([python(LOOK_AROUND)], None)])
    second = outcome.then[0] if outcome.then else Outcome()
    return (expect(outcome.done and outcome.done["reusable"] and outcome.done["run"] == 1, outcome,
                   "a run whose jail took everything along leaves the container reusable")
            or expect(second.done and second.done["run"] == 2, second, "the next run is served by the same agent")
            # main.py of its own; the jail's init and the program are the only processes it sees.
            or expect(second.stdout == b"sandbox ['.webide', 'main.py'] tmp []\nprocesses 2\n", second,
                      "the next run sees nothing of the one before: files, the locked directory, the link, /tmp, the background sleep"))


def check_retire(launch):
    outcome = run(launch, [python("import time; time.sleep(30)", timeout_ms=500)], then=[([python("print(1)")], None)])
    return expect(outcome.done and not outcome.done["reusable"] and "timedOut" in outcome.done["reasons"]
                  and not outcome.then and outcome.exit == 0, outcome,
                  "a run that hit a limit retires the container: the agent says why and exits")


CHECKS = {
    "refusals": check_refusals,
    "fds": check_fds,
    "processes": check_processes,
    "environment": check_environment,
    "background": check_background,
    "exit-codes": check_exit_codes,
    "accounting": check_accounting,
    "timeout": check_timeout,
    "stdin": check_stdin,
    "kill": check_kill,
    "output-cap": check_output_cap,
    "jail-failure": check_jail_failure,
    "oom": check_oom,
    "reuse": check_reuse,
    "retire": check_retire,
}
# A host has no memory limit for the agent's namespace to hit, and its network, IPC and /dev/shm
# are the host's, which change under the agent's baseline.
NOT_ON_HOST = {"oom", "reuse", "retire"}


def run_checks(launch, names):
    failed = 0
    for name in names:
        started = time.monotonic()
        try:
            failure = CHECKS[name](launch)
        except Exception as error:  # noqa: BLE001 — reported as the check's failure
            failure = f"the check itself failed: {error!r}"
        seconds = time.monotonic() - started
        if failure:
            failed += 1
            print(f"FAIL  {name:<13} {seconds:5.1f} s  {failure}")
        else:
            print(f"PASS  {name:<13} {seconds:5.1f} s")
        sys.stdout.flush()
    print(f"[jail-check] {len(names) - failed} passed, {failed} failed")
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------
# self-test: the filter without a kernel.

def load_agent_module():
    import importlib.util
    sys.dont_write_bytecode = True  # no __pycache__ beside agent.py in the checkout
    spec = importlib.util.spec_from_file_location("webide_agent", AGENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def interpret(program, arch, nr, arg0=0):
    """What a classic BPF seccomp program returns for one call (the few opcodes the agent uses)."""
    data = struct.pack("=iIQ6Q", nr, arch, 0, arg0, 0, 0, 0, 0, 0)
    pc = accumulator = 0
    while True:
        code, jt, jf, k = struct.unpack_from("=HBBI", program, pc * 8)
        if code == 0x20:
            accumulator = struct.unpack_from("=I", data, k)[0]
            pc += 1
        elif code == 0x15:
            pc += 1 + (jt if accumulator == k else jf)
        elif code == 0x45:
            pc += 1 + (jt if accumulator & k else jf)
        elif code == 0x06:
            return k
        else:
            raise ValueError(f"opcode {code:#x}")


def header_numbers():
    """Syscall numbers from this machine's kernel headers: (x86_64, generic as aarch64 uses it)."""
    tables = []
    for path in ("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "/usr/include/asm-generic/unistd.h"):
        numbers = {}
        try:
            with open(path) as f:
                for line in f:
                    match = re.match(r"#define __NR(?:3264)?_(\w+)\s+(\d+)", line)
                    if match:
                        numbers[match.group(1)] = int(match.group(2))
        except OSError:
            pass
        tables.append(numbers)
    return tables


def self_test():
    agent = load_agent_module()
    program = agent.RUN_FILTER
    allow, kill, errno_base = agent.SECCOMP_RET_ALLOW, agent.SECCOMP_RET_KILL_PROCESS, agent.SECCOMP_RET_ERRNO
    failures = []

    def want(arch_name, arch, nr, arg0, expected, what):
        got = interpret(program, arch, nr, arg0)
        if got != expected:
            failures.append(f"{arch_name} {what}: {got:#x}, expected {expected:#x}")

    for arch_name, arch, column in (("x86_64", agent.AUDIT_ARCH_X86_64, 0), ("aarch64", agent.AUDIT_ARCH_AARCH64, 1)):
        for name, rule in agent.RUN_RULES.items():
            nr = rule[column]
            if name in ("clone", "unshare"):
                want(arch_name, arch, nr, 0x10000000, errno_base | 1, f"{name} with CLONE_NEWUSER")
                want(arch_name, arch, nr, 0x00020000, errno_base | 1, f"{name} with CLONE_NEWNS")
                want(arch_name, arch, nr, 0x40000000 | 0x00000011, errno_base | 1, f"{name} with CLONE_NEWNET")
                want(arch_name, arch, nr, 0x003D0F00, allow, f"{name} of a thread (no namespace flag)")
            elif name == "clone3":
                want(arch_name, arch, nr, 0, errno_base | 38, "clone3 is ENOSYS")
            else:
                want(arch_name, arch, nr, 0, errno_base | 1, f"{name} is EPERM")
        want(arch_name, arch, 0, 0, allow, "syscall 0")
        want(arch_name, arch, 63, 0, allow, "syscall 63")
    unshare_x86 = agent.RUN_RULES["unshare"][0]
    want("x86_64", agent.AUDIT_ARCH_X86_64, unshare_x86, 0x80, errno_base | 1, "unshare with CLONE_NEWTIME")
    want("x86_64", agent.AUDIT_ARCH_X86_64, unshare_x86, 0x400, allow, "unshare(CLONE_FILES)")
    want("x86_64", agent.AUDIT_ARCH_X86_64, 0x40000000 | 1, 0, kill, "an x32 call")
    want("i386", 0x40000003, 1, 0, kill, "an i386 call")
    want("arm", 0x40000028, 1, 0, kill, "a 32-bit ARM call")

    x86, generic = header_numbers()
    for name, rule in agent.RUN_RULES.items():
        for table, number, arch_name in ((x86, rule[0], "x86_64"), (generic, rule[1], "aarch64")):
            if name in table and table[name] != number:
                failures.append(f"{name} is {table[name]} on {arch_name} by the headers, {number} in the agent")
    checked = sum(name in x86 for name in agent.RUN_RULES) + sum(name in generic for name in agent.RUN_RULES)

    with open(PROFILE) as f:
        profile = json.load(f)
    allowed = {name for group in profile["syscalls"] if group["action"] == "SCMP_ACT_ALLOW" for name in group["names"]}
    for name in ("clone", "unshare", "mount", "umount2", "pivot_root", "sethostname", "prctl", "capset"):
        if name not in allowed:
            failures.append(f"the container profile does not allow {name}, which bwrap needs")

    for failure in failures:
        print("FAIL ", failure)
    print(f"[jail-check] self-test: {len(program) // 8} BPF instructions, {checked} syscall numbers checked "
          f"against headers, {len(failures)} failures")
    return 1 if failures else 0


# ---------------------------------------------------------------------------------------------

def option(arguments, name, default):
    if name in arguments:
        index = arguments.index(name)
        value = arguments[index + 1]
        del arguments[index:index + 2]
        return value
    return default


def default_image():
    return subprocess.run(["bash", os.path.join(HERE, "build.sh"), "--print-tag"], capture_output=True, text=True,
                          check=True).stdout.strip()


def main(arguments):
    if not arguments or arguments[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    command, arguments = arguments[0], arguments[1:]
    if command == "self-test":
        return self_test()
    if command == "apply-profile":
        apply_profile(arguments[0], arguments[2:])
        return 1
    if command == "host":
        if os.geteuid() != 0:
            print("host needs root (new namespaces, then uid 10000)", file=sys.stderr)
            return 2
        if shutil.which("bwrap") is None:
            print("bwrap is not installed (apt-get install bubblewrap)", file=sys.stderr)
            return 2
        profile = "--profile" in arguments
        global CONTAINER_PROFILE_APPLIED
        CONTAINER_PROFILE_APPLIED = profile
        names = [name for name in arguments if name != "--profile"] or [name for name in CHECKS if name not in NOT_ON_HOST]
        print(f"[jail-check] host, agent as uid {RUNNER_UID}{', container seccomp profile applied' if profile else ''}")
        # Where each run's root is mounted, in a mount namespace of the run's own: empty out here.
        mount_point = tempfile.mkdtemp(prefix="webide-jailcheck-")
        try:
            return run_checks(host_launch(profile, mount_point), names)
        finally:
            os.rmdir(mount_point)
    if command == "docker":
        image = option(arguments, "--image", None) or default_image()
        print(f"[jail-check] docker, image {image}")
        return run_checks(docker_launch(image), arguments or list(CHECKS))
    if command == "exec":
        image = option(arguments, "--image", None) or default_image()
        memory = option(arguments, "--memory", "256m")
        timeout = float(option(arguments, "--timeout", "60"))
        if arguments[:1] == ["--"]:
            arguments = arguments[1:]
        outcome = run(docker_launch(image, memory), [step(arguments, timeout_ms=int(timeout * 1000))],
                      deadline_s=timeout + 30)
        sys.stdout.write(outcome.stdout.decode("utf-8", "replace"))
        sys.stdout.write(outcome.stderr.decode("utf-8", "replace"))
        result = outcome.step()
        if outcome.errors or result is None:
            print(f"[jail-check] no result: {outcome}", file=sys.stderr)
            return 125
        return result["exitCode"]
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
