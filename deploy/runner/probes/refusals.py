# Run inside the jail: every call the run's seccomp filter must refuse, each with arguments that would
# succeed, or fail otherwise than with EPERM, were it allowed; then what programs do need. Used by
# deploy/runner/jail-check.py and the integration tests' JailTests, so both ask the same.
import ctypes, errno, os, platform
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
ARM = platform.machine() == "aarch64"
NUMBERS = {
    "unshare": (272, 97), "clone": (56, 220), "clone3": (435, 435), "setns": (308, 268),
    "mount": (165, 40), "umount2": (166, 39), "pivot_root": (155, 41),
    "open_tree": (428, 428), "move_mount": (429, 429), "fsopen": (430, 430), "fsconfig": (431, 431),
    "fsmount": (432, 432), "fspick": (433, 433), "mount_setattr": (442, 442), "open_tree_attr": (467, 467),
    "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218),
    "bpf": (321, 280), "perf_event_open": (298, 241), "userfaultfd": (323, 282),
    "io_uring_setup": (425, 425), "io_uring_enter": (426, 426), "io_uring_register": (427, 427),
}
def arg(value):
    return ctypes.c_char_p(value) if isinstance(value, bytes) else ctypes.c_long(value)
def attempt(label, name, *args):
    result = libc.syscall(ctypes.c_long(NUMBERS[name][ARM]), *[arg(a) for a in args])
    if result == 0 and name == "clone":
        os._exit(0)  # the child of a clone that should not have happened
    if result >= 0:
        print(label, "DONE", result, flush=True)
    else:
        print(label, "refused", errno.errorcode.get(ctypes.get_errno(), ctypes.get_errno()), flush=True)
AT_FDCWD = -100
attempt("unshare_user", "unshare", 0x10000000)
attempt("unshare_mount", "unshare", 0x00020000)
attempt("unshare_net", "unshare", 0x40000000)
attempt("clone_user", "clone", 0x10000000 | 17, 0, 0, 0, 0)
attempt("clone3", "clone3", 0, 0)
attempt("setns", "setns", os.open("/proc/self/ns/uts", os.O_RDONLY), 0)
attempt("mount", "mount", b"none", b"/tmp", b"tmpfs", 0, 0)
attempt("umount2", "umount2", b"/tmp", 0)
attempt("pivot_root", "pivot_root", b"/tmp", b"/tmp")
attempt("open_tree", "open_tree", AT_FDCWD, b"/tmp", 0)
attempt("move_mount", "move_mount", -1, b"", -1, b"", 0)
attempt("fsopen", "fsopen", b"tmpfs", 0)
attempt("fsconfig", "fsconfig", -1, 0, 0, 0, 0)
attempt("fsmount", "fsmount", -1, 0, 0)
attempt("fspick", "fspick", AT_FDCWD, b"/tmp", 0)
attempt("mount_setattr", "mount_setattr", -1, b"", 0, 0, 0)
attempt("open_tree_attr", "open_tree_attr", AT_FDCWD, b"/tmp", 0, 0, 0)
attempt("keyctl", "keyctl", 0, -3, 0)
attempt("add_key", "add_key", b"user", b"webide", b"x", 1, -2)
attempt("request_key", "request_key", b"user", b"webide", 0, 0)
attempt("bpf", "bpf", 0, 0, 0)
attempt("perf_event_open", "perf_event_open", 0, 0, -1, -1, 0)
attempt("userfaultfd", "userfaultfd", 0)
attempt("io_uring_setup", "io_uring_setup", 1, 0)
attempt("io_uring_enter", "io_uring_enter", -1, 0, 0, 0, 0)
attempt("io_uring_register", "io_uring_register", -1, 0, 0, 0)
# What a program does need still works: a fork, a thread (glibc tries clone3 first), a child process.
import subprocess, threading
pid = os.fork()
if pid == 0:
    os._exit(3)
print("fork", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
box = []
thread = threading.Thread(target=lambda: box.append("ran"))
thread.start(); thread.join()
print("thread", box[0])
print("subprocess", subprocess.run(["sh", "-c", "echo child"], capture_output=True, text=True).stdout.strip())
