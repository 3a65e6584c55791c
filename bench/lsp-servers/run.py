#!/usr/bin/env python3
"""The runner image's language servers, each in a container locked down as a sandbox is, spoken to by
deploy/runner/probes/lsp-probe.py: what each answers (completion, hover, definition into another file, a type error's
diagnostic), how fast (first completion after start, warm completion after an edit) and how much memory and /tmp it takes.

    bench/lsp-servers/run.py [--image TAG] [--runs 3] [--warm 30] [--jail] [LANGUAGE...]
    bench/lsp-servers/run.py --pylsp [--runs 5] [--warm 30]    # Python: pyright against Debian's python3-pylsp

The servers start as services/Execution/Languages/Definitions say (command, environment, initializationOptions; the
table SERVERS below repeats them). The project of each language is projects/<language>, mounted read-only at /sandbox;
/tmp is an 8 MiB tmpfs; 512 MiB of memory, 256 processes, no network, uid 10000. With --jail the server runs as a run's
step does instead: through the sandbox agent, in its bubblewrap jail with the run's seccomp filter, in a container set
up as the service sets it up (deploy/runner/jail-check.py exec; 1 CPU, 67 processes), the project written into the run's
writable /sandbox and the probe passed inline.

--pylsp needs python3-pylsp on this host (apt-get install --no-install-recommends python3-pylsp, Debian 12 on amd64 like
the image): its dist-packages are mounted into the container, so pylsp runs on the image's python3 in the same sandbox.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PROBES = os.path.join(REPO, "deploy", "runner", "probes")
BIN = "/opt/webide/language-servers/node_modules/.bin"
TS_OPTIONS = '{"disableAutomaticTypingAcquisition":true,"tsserver":{"useSyntaxServer":"never"}}'
GOPLS_ENV = {"GO111MODULE": "off", "GOPATH": "/tmp/go", "GOCACHE": "/tmp/go-build", "XDG_CACHE_HOME": "/tmp/.cache"}


def clangd(language):
    return ["clangd", f"--compile-commands-dir=/opt/webide/language-servers/clangd/{language}", "--pch-storage=memory", "--log=error"]


# language: (languageId, probe arguments, command, environment, initializationOptions)
SERVERS = {
    "python": ("python", ["--open", "main.py", "--open", "bad.py", "--complete", "main.py:5:4", "--expect", "path",
                          "--hover", "main.py:4:8", "--definition", "main.py:4:8", "--definition-in", "util.py",
                          "--diagnostics", "bad.py"],
               [f"{BIN}/pyright-langserver", "--stdio"], {}, None),
    "javascript": ("javascript", ["--open", "main.js", "--open", "bad.js", "--complete", "main.js:5:3", "--expect", "toUpperCase",
                                  "--hover", "main.js:4:13", "--definition", "main.js:4:13", "--definition-in", "util.js",
                                  "--diagnostics", "bad.js"],
                   [f"{BIN}/typescript-language-server", "--stdio"], {}, TS_OPTIONS),
    "typescript": ("typescript", ["--open", "main.ts", "--open", "bad.ts", "--complete", "main.ts:6:3", "--expect", "name",
                                  "--hover", "main.ts:5:13", "--definition", "main.ts:5:13", "--definition-in", "util.ts",
                                  "--diagnostics", "bad.ts"],
                   [f"{BIN}/typescript-language-server", "--stdio"], {}, TS_OPTIONS),
    "c": ("c", ["--open", "main.c", "--open", "bad.c", "--complete", "main.c:7:7", "--expect", "x", "--expect", "y",
                "--hover", "main.c:6:20", "--definition", "main.c:6:20", "--definition-in", "util.h", "--diagnostics", "bad.c"],
          clangd("c"), {}, None),
    # "vector" is also a word of the file, which clangd offers before its preamble is built; "allocator" comes from <vector>.
    "cpp": ("cpp", ["--open", "main.cpp", "--open", "bad.cpp", "--complete", "main.cpp:7:10", "--expect", "vector",
                    "--expect", "allocator", "--hover", "main.cpp:6:14", "--definition", "main.cpp:6:14",
                    "--definition-in", "util.hpp", "--diagnostics", "bad.cpp"],
            clangd("cpp"), {}, None),
    "go": ("go", ["--open", "main.go", "--open", "bad.go", "--complete", "main.go:7:6", "--expect", "Println",
                  "--hover", "main.go:6:14", "--definition", "main.go:6:14", "--definition-in", "util.go", "--diagnostics", "bad.go"],
           ["gopls"], GOPLS_ENV, None),
    "bash": ("shellscript", ["--open", "main.sh", "--open", "bad.sh", "--complete", "main.sh:5:4", "--expect", "echo",
                             "--hover", "main.sh:4:2", "--definition", "main.sh:4:2", "--definition-in", "util.sh",
                             "--diagnostics", "bad.sh"],
             [f"{BIN}/bash-language-server", "start"], {}, None),
}

PYLSP = ["python3", "-m", "pylsp"]
HOST_PYTHON = "/usr/lib/python3/dist-packages"
HOST_LIB = "/usr/lib/x86_64-linux-gnu/libdouble-conversion.so.3"


def docker_run(image, project, environment, extra_mounts=()):
    command = ["docker", "run", "--rm", "-i", "--network", "none", "--read-only", "--tmpfs", "/tmp:size=8m",
               "--user", "10000:10000", "--memory", "512m", "--memory-swap", "512m", "--pids-limit", "256",
               "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
               "-v", f"{project}:/sandbox:ro", "-v", f"{PROBES}:/probes:ro", "--workdir", "/sandbox"]
    for mount in extra_mounts:
        command += ["-v", mount]
    # The image's Go variables are not the server's: only what the definition gives counts.
    for key, value in {"GOCACHE": "", "GOPATH": "", "GOTMPDIR": "", **environment}.items():
        command += ["-e", f"{key}={value}"]
    return command + [image]


def jail_run(image, language, probe_arguments, command, environment):
    """The probe as one step of a run in the sandbox agent's jail."""
    project = os.path.join(HERE, "projects", language)
    script = ["set -e"]
    for name in sorted(os.listdir(project)):
        with open(os.path.join(project, name)) as f:
            script.append(f"printf %s {shlex.quote(f.read())} > {shlex.quote(name)}")
    with open(os.path.join(PROBES, "lsp-probe.py")) as f:
        probe_source = f.read()
    variables = " ".join(f"{key}={shlex.quote(value)}" for key, value in environment.items())
    script.append(f"env {variables} python3 -I -c {shlex.quote(probe_source)} --root . "
                  + " ".join(shlex.quote(argument) for argument in [*probe_arguments, "--", *command]))
    return ["python3", os.path.join(REPO, "deploy", "runner", "jail-check.py"), "exec", "--image", image,
            "--memory", "512m", "--timeout", "300", "--", "bash", "-c", "\n".join(script)]


def probe(image, language, warm, server=None, jail=False):
    language_id, arguments, command, environment, options = SERVERS[language]
    mounts = ()
    if server == "pylsp":
        # pylsp's packages are pure Python but for ujson, which links a library the image has not.
        # jedi and parso cache what they parse under the user cache directory, which must be writable.
        command = PYLSP
        environment = {"PYTHONPATH": "/opt/host-python", "LD_LIBRARY_PATH": "/opt/host-lib", "XDG_CACHE_HOME": "/tmp/.cache"}
        mounts = (f"{HOST_PYTHON}:/opt/host-python:ro", f"{HOST_LIB}:/opt/host-lib/{os.path.basename(HOST_LIB)}:ro")
    probe_arguments = ["--language-id", language_id, "--warm", str(warm), *arguments]
    if server == "pylsp":
        probe_arguments += ["--timeout", "15"]  # it publishes no diagnostics without its plugins; no need to wait 90 s for that
    if options:
        probe_arguments += ["--init-options", options]
    if jail:
        run = jail_run(image, language, probe_arguments, command, environment)
    else:
        run = docker_run(image, os.path.join(HERE, "projects", language), environment, mounts)
        run += ["python3", "-I", "/probes/lsp-probe.py", *probe_arguments, "--", *command]
    output = subprocess.run(run, capture_output=True, text=True, timeout=600)
    for line in output.stdout.splitlines():
        if not line.startswith("RESULT "):
            print("    " + line)
    results = [line[len("RESULT "):] for line in output.stdout.splitlines() if line.startswith("RESULT ")]
    if not results:
        print(output.stderr[-2000:], file=sys.stderr)
        return {"ok": False, "failures": ["no result"]}
    return json.loads(results[-1])


def summary(name, runs):
    first = [run["firstCompletionS"] for run in runs if "firstCompletionS" in run]
    warm = [run["warmCompletionMs"]["p50"] for run in runs if "warmCompletionMs" in run]
    rss = [run.get("rssKb", 0) / 1024 for run in runs]
    peak = [run.get("peakRssKb", 0) / 1024 for run in runs]
    tmp = [run.get("tmpUsedKb", 0) for run in runs]
    errors = any(item.split()[1] == "error" for run in runs for found in run.get("diagnostics", {}).values() for item in found["items"])
    def median(values, digits):
        return round(statistics.median(values), digits) if values else None
    return {"server": name, "runs": len(runs), "ok": all(run["ok"] for run in runs),
            "firstCompletionS": median(first, 2), "firstCompletionRangeS": [min(first), max(first)] if first else None,
            "warmCompletionP50Ms": median(warm, 1), "rssMiB": median(rss, 0), "peakRssMiB": median(peak, 0),
            "tmpUsedKb": max(tmp) if tmp else None, "typeErrorReported": errors}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", help="the runner image (default: deploy/runner/build.sh --print-tag)")
    parser.add_argument("--runs", type=int, default=3, help="containers per server (first completion is per start)")
    parser.add_argument("--warm", type=int, default=30, help="warm completions per container")
    parser.add_argument("--pylsp", action="store_true", help="compare pyright with Debian's python3-pylsp")
    parser.add_argument("--jail", action="store_true", help="run each server as a run's step, in the sandbox agent's jail")
    parser.add_argument("languages", nargs="*", default=list(SERVERS))
    args = parser.parse_args()
    image = args.image or subprocess.run([os.path.join(REPO, "deploy", "runner", "build.sh"), "--print-tag"],
                                         capture_output=True, text=True, check=True).stdout.strip()
    print(f"image {image}")
    if args.pylsp and args.jail:
        parser.error("--pylsp mounts the host's pylsp into a plain container; it has no --jail")
    plan = [("python", "pyright"), ("python", "pylsp")] if args.pylsp else [(language, None) for language in args.languages]
    summaries = []
    for language, server in plan:
        name = server or language
        if server == "pylsp" and not os.path.isdir(os.path.join(HOST_PYTHON, "pylsp")):
            sys.exit(f"{HOST_PYTHON}/pylsp is missing: apt-get install --no-install-recommends python3-pylsp")
        runs = []
        for i in range(args.runs):
            print(f"== {name} ({language}), run {i + 1}/{args.runs}", flush=True)
            runs.append(probe(image, language, args.warm, server if server == "pylsp" else None, args.jail))
        summaries.append(summary(name, runs))
    print()
    print(f"{'server':<12} {'ok':<5} {'first completion s':<20} {'warm p50 ms':<12} {'RSS MiB':<8} {'peak MiB':<9} {'/tmp kB':<8} type error")
    for s in summaries:
        first = f"{s['firstCompletionS']} ({s['firstCompletionRangeS'][0]}-{s['firstCompletionRangeS'][1]})" if s["firstCompletionRangeS"] else "-"
        print(f"{s['server']:<12} {str(s['ok']):<5} {first:<20} {str(s['warmCompletionP50Ms']):<12} {str(s['rssMiB']):<8} "
              f"{str(s['peakRssMiB']):<9} {str(s['tmpUsedKb']):<8} {'yes' if s['typeErrorReported'] else 'no'}")
    print("SUMMARY " + json.dumps(summaries))
    return 0 if all(s["ok"] for s in summaries if s["server"] != "pylsp") else 1


if __name__ == "__main__":
    sys.exit(main())
