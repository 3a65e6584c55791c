# The sandbox agent: PID 1 of every sandbox container. It waits, already started, for one
# run request on its attached stdin, so a run costs no `docker exec`; it then writes the
# files, runs each step under the run's limits and streams framed results on stdout.
#
# Being PID 1 matters: user code runs under the same uid and cannot signal it (the kernel
# never delivers SIGKILL to a namespace's init from inside), `kill(-1)` from here reaches
# every other process in the container, and orphans are reparented here and reaped.
#
# Frames both ways: 1 byte kind, 4 bytes big-endian length, payload.
#   in : F file (2-byte path length, path, content) · R request (JSON) · I stdin · C close stdin · K kill
#   out: O stdout · E stderr · X step exited (JSON) · A agent error (text)
import ctypes
import errno
import fcntl
import json
import os
import select
import signal
import struct
import sys
import time

IN = 0
OUT = 1
CHUNK = 65536
STDIN_BUFFER_CAP = 8 << 20
PR_SET_DUMPABLE = 4

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


def oom_kills():
    for path, key in (("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
                      ("/sys/fs/cgroup/memory.events", "oom_kill")):
        try:
            with open(path) as f:
                for line in f:
                    name, _, value = line.partition(" ")
                    if name == key:
                        return int(value)
        except OSError:
            pass
    return 0


def shell_exit_code(status):
    # As a shell reports it: a signal's death is 128 + the signal's number.
    if status is None:
        return 128 + signal.SIGKILL
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def kill_everything():
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass


def write_file(payload):
    (path_length,) = struct.unpack(">H", payload[:2])
    path = payload[2:2 + path_length].decode("utf-8")
    target = os.path.join("/sandbox", path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        view = memoryview(payload)[2 + path_length:]
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class Step:
    """One process tree (compile or run) with its pipes, deadline and accounting."""

    def __init__(self, spec, reader, session):
        self.spec = spec
        self.reader = reader
        self.session = session
        self.name = spec["name"]
        self.forward = spec.get("forwardOutput", True)
        self.takes_stdin = spec.get("stdin", True)
        self.output_cap = spec.get("maxOutputBytes", 1 << 20)
        self.output_bytes = 0
        self.captured = bytearray()
        self.killed = False
        self.timed_out = False
        self.output_limited = False
        self.cpu = 0.0
        self.peak = 0

    def start(self):
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        in_r, in_w = os.pipe()
        env = dict(self.spec["env"])
        self.started = time.monotonic()
        self.oom_before = oom_kills()
        self.pid = os.posix_spawnp(
            self.spec["argv"][0], self.spec["argv"], env,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, in_r, 0),
                (os.POSIX_SPAWN_DUP2, out_w, 1),
                (os.POSIX_SPAWN_DUP2, err_w, 2),
                (os.POSIX_SPAWN_CLOSE, in_w),
                (os.POSIX_SPAWN_CLOSE, out_r),
                (os.POSIX_SPAWN_CLOSE, err_r),
            ],
            setsid=True,
            # Python ignores SIGXFSZ and ignored signals survive exec: the program gets the
            # default, so a write past the file-size limit ends it as it would anywhere else.
            setsigdef=(signal.SIGXFSZ,))
        for fd in (in_r, out_w, err_w):
            os.close(fd)
        try:
            # User code, not the agent, is what the kernel should kill when memory runs out.
            with open(f"/proc/{self.pid}/oom_score_adj", "w") as f:
                f.write("1000")
        except OSError:
            pass
        self.stdin_fd = in_w
        fcntl.fcntl(in_w, fcntl.F_SETFL, os.O_NONBLOCK)
        self.readers = {out_r: b"O", err_r: b"E"}
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
        """Collects every ended child; returns the main process's status if it was among them."""
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
        # Children that outlive the step's main process end with it.
        ended = self.end_all()
        main_status = main_status if main_status is not None else ended
        self.drain()
        if self.stdin_fd is not None:
            os.close(self.stdin_fd)
            self.stdin_fd = None
        oom = oom_kills() > self.oom_before
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


def main():
    reader = FrameReader()
    session = Session()
    request = None
    while request is None:
        reader.fill()
        if reader.closed:
            return
        for kind, payload in reader.frames():
            if kind == b"F":
                write_file(payload)
            elif kind == b"R":
                request = json.loads(payload)
            elif kind == b"I":
                session.pending_stdin.extend(payload)
            elif kind == b"C":
                session.stdin_closed = True
            elif kind == b"K":
                return
    for directory in request.get("directories", []):
        os.makedirs(os.path.join("/sandbox", directory), exist_ok=True)
    for spec in request["steps"]:
        result = Step(spec, reader, session).run()
        send(b"X", json.dumps(result).encode())
        if result["exitCode"] != 0 or result["killed"] or result["timedOut"] or result["oomKilled"]:
            break


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # Python's own SIGINT handler would let user code (same uid) end the agent with
    # `kill -INT 1`, and the run's verdict with it; the kernel drops default-action signals
    # sent to a namespace's init from inside.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # User code shares this uid, so it could ptrace the agent, write forged frames into the
    # service's stream through /proc/1/fd/1 or raise the agent's OOM score. A process that is
    # not dumpable is out of reach of same-uid processes without CAP_SYS_PTRACE; programs are
    # exec'd, which makes them dumpable again.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
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
