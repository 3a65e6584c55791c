#!/usr/bin/env python3
# Speaks LSP to a language server over its stdin and stdout (Content-Length framing), as the editor would through
# docs/api.md §6, and reports what it answers and how fast: runs inside the runner image (Python's standard library
# only), so it checks a server as a sandbox starts it. bench/lsp-servers/run.py drives it per language.
#
#   lsp-probe.py --language-id python --open main.py --open bad.py \
#       --complete main.py:6:4 --expect path --hover main.py:5:7 --definition main.py:5:7 \
#       --diagnostics bad.py -- /opt/webide/language-servers/node_modules/.bin/pyright-langserver --stdio
#
# Positions are FILE:LINE:COLUMN, 1-based as an editor shows them; COLUMN "$" is the end of the line. Files are read
# from --root (the sandbox, /sandbox) and opened with didOpen; the workspace is --root. Completion is asked again until
# the --expect label comes (a server may answer an empty list while it loads), then --warm more times, each after a
# didChange, as typing would. The last line is `RESULT {json}`; the exit status is 1 when an expectation failed.
import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time


def parse_args():
    parser = argparse.ArgumentParser(description="Probe a language server over stdio.")
    parser.add_argument("--root", default="/sandbox", help="the workspace folder (rootUri)")
    parser.add_argument("--language-id", required=True, help="the LSP languageId of the opened files")
    parser.add_argument("--open", action="append", default=[], help="a file to open (relative to --root)")
    parser.add_argument("--complete", help="FILE:LINE:COL to ask completion at")
    parser.add_argument("--expect", action="append", default=[], help="a completion label that must come")
    parser.add_argument("--hover", help="FILE:LINE:COL to ask a hover at")
    parser.add_argument("--definition", help="FILE:LINE:COL to ask the definition of")
    parser.add_argument("--definition-in", help="the file (name) the definition must be in")
    parser.add_argument("--diagnostics", action="append", default=[], help="a file whose diagnostics to wait for")
    parser.add_argument("--warm", type=int, default=5, help="completions after the first, each after a didChange")
    parser.add_argument("--timeout", type=float, default=90, help="seconds for the first completion and for diagnostics")
    parser.add_argument("--init-options", default="null", help="initializationOptions, as JSON")
    parser.add_argument("--settings", default="{}", help="what workspace/configuration answers for each item, as JSON")
    parser.add_argument("--show", type=int, default=12, help="completion labels to print")
    parser.add_argument("--stderr", action="store_true", help="print the server's last stderr lines even when all went well")
    parser.add_argument("--log", action="store_true", help="print the server's window/logMessage notifications")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the server and its arguments")
    args = parser.parse_args()
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        parser.error("the server's command is missing (after --)")
    return args


class Server:
    """One server process: requests with ids, its notifications in a queue, its requests to us answered."""

    def __init__(self, command, settings):
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.settings = settings
        self.next_id = 0
        self.pending = {}
        self.lock = threading.Lock()
        self.notifications = queue.Queue()
        self.closed = False
        self.stderr_tail = []
        self.stderr_bytes = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _send(self, message):
        body = json.dumps(message).encode()
        with self.lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=60):
        """The result, the time the answer took, or an exception for an error or no answer."""
        with self.lock:
            self.next_id += 1
            request_id = self.next_id
        answer = queue.Queue(maxsize=1)
        self.pending[request_id] = answer
        if self.closed:
            raise RuntimeError(f"{method}: the server closed its output")
        sent = time.monotonic()
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        try:
            message = answer.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"{method}: no answer in {timeout} s") from None
        finally:
            self.pending.pop(request_id, None)
        took = time.monotonic() - sent
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message.get("result"), took

    def _read(self):
        try:
            self._read_messages()
        finally:
            # No answer will come: whoever waits for one learns so now rather than at their timeout.
            self.closed = True
            self.notifications.put(None)
            for answer in list(self.pending.values()):
                answer.put({"error": "the server closed its output"})

    def _read_messages(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = stream.read(length)
            if len(body) < length:
                return
            message = json.loads(body)
            if "method" in message and "id" in message:
                self._answer(message)
            elif "method" in message:
                self.notifications.put(message)
            elif message.get("id") in self.pending:
                self.pending[message["id"]].put(message)

    def _answer(self, message):
        # The requests a server makes of its client: settings (the same for every section), registrations and
        # progress tokens (accepted), the workspace folders.
        method = message["method"]
        if method == "workspace/configuration":
            result = [self.settings for _ in message["params"]["items"]]
        elif method == "workspace/workspaceFolders":
            result = [{"uri": ROOT_URI, "name": "sandbox"}]
        else:
            result = None
        self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def _read_stderr(self):
        for line in self.process.stderr:
            self.stderr_bytes += len(line)
            self.stderr_tail = (self.stderr_tail + [line.decode(errors="replace").rstrip()])[-20:]

    def since_start(self):
        return time.monotonic() - self.started


def process_tree(pid):
    """The pid and its descendants (a server may start helpers: tsserver, shellcheck)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo.extend(int(child) for child in f.read().split())
        except OSError:
            pass
    return tree


def memory(pid):
    """Resident and peak resident kB over the server's processes, and their names."""
    rss = peak = 0
    names = []
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        names.append(fields["Name"].strip())
        rss += int(fields.get("VmRSS", "0 kB").split()[0])
        peak += int(fields.get("VmHWM", "0 kB").split()[0])
    return rss, peak, names


def tmp_used_kb(path="/tmp"):
    stat = os.statvfs(path)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize // 1024


def position(spec, texts):
    name, line, column = spec.rsplit(":", 2)
    text_line = texts[name].split("\n")[int(line) - 1]
    character = len(text_line) if column == "$" else int(column) - 1
    return name, {"line": int(line) - 1, "character": character}


def uri(name):
    return f"{ROOT_URI}/{name}"


def labels(result):
    # The names offered: clangd marks an item that would add an #include with "•" and may add a signature.
    items = result.get("items", []) if isinstance(result, dict) else (result or [])
    return [item["label"].strip().lstrip("•").split("(")[0].split("<")[0].strip() for item in items]


def hover_text(result):
    if not result:
        return ""
    contents = result["contents"]
    if isinstance(contents, dict):
        return contents.get("value", "")
    if isinstance(contents, list):
        return "\n".join(part if isinstance(part, str) else part.get("value", "") for part in contents)
    return contents


def main():
    global ROOT_URI
    args = parse_args()
    ROOT_URI = "file://" + os.path.abspath(args.root)
    texts = {}
    for name in args.open:
        with open(os.path.join(args.root, name), encoding="utf-8") as f:
            texts[name] = f.read()
    result = {"command": args.command, "ok": True, "failures": []}

    def fail(what):
        result["ok"] = False
        result["failures"].append(what)
        print("FAIL", what, flush=True)

    server = Server(args.command, json.loads(args.settings))
    try:
        run(server, args, texts, result, fail)
    except Exception as error:  # noqa: BLE001 (a probe reports whatever went wrong)
        fail(f"{type(error).__name__}: {error}")
    finally:
        alive = server.process.poll() is None
        result["alive"] = alive
        if alive:
            result["rssKb"], result["peakRssKb"], result["processes"] = memory(server.process.pid)
        else:
            fail(f"the server exited with {server.process.returncode}")
        result["tmpUsedKb"] = tmp_used_kb()
        result["stderrBytes"] = server.stderr_bytes
        if not result["ok"] or args.stderr:
            result["stderrTail"] = server.stderr_tail
            for line in server.stderr_tail:
                print("  stderr:", line, flush=True)
        if alive:
            try:
                server.request("shutdown", None, timeout=10)
                server.notify("exit", None)
                server.process.wait(timeout=10)
            except Exception:  # noqa: BLE001 (a server that does not stop is killed; the results stand)
                server.process.kill()
    print(f"memory: rss {result.get('rssKb', 0) / 1024:.0f} MiB, peak {result.get('peakRssKb', 0) / 1024:.0f} MiB "
          f"({' '.join(result.get('processes', []))}); /tmp used {result['tmpUsedKb']} kB; stderr {result['stderrBytes']} B",
          flush=True)
    print("RESULT " + json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


def run(server, args, texts, result, fail):
    capabilities = {
        "general": {"positionEncodings": ["utf-16"]},
        "workspace": {"configuration": True, "workspaceFolders": True},
        "window": {"workDoneProgress": True},
        "textDocument": {
            "synchronization": {"didSave": True},
            "completion": {"completionItem": {"snippetSupport": False, "documentationFormat": ["markdown", "plaintext"]}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "definition": {"linkSupport": False},
            "publishDiagnostics": {"relatedInformation": True},
        },
    }
    init, _ = server.request("initialize", {
        "processId": os.getpid(), "rootUri": ROOT_URI, "rootPath": args.root,
        "workspaceFolders": [{"uri": ROOT_URI, "name": "sandbox"}],
        "capabilities": capabilities, "initializationOptions": json.loads(args.init_options),
    })
    result["initializeS"] = round(server.since_start(), 3)
    info = init.get("serverInfo") or {}
    print(f"initialized in {result['initializeS']} s: {info.get('name', '?')} {info.get('version', '')}", flush=True)
    server.notify("initialized", {})
    for name, text in texts.items():
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri(name), "languageId": args.language_id, "version": 1, "text": text}})

    diagnostics = {}

    def drain(wait=0.0):
        """Notifications until wait seconds have passed; diagnostics kept by file."""
        deadline = time.monotonic() + wait
        while True:
            try:
                message = server.notifications.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return
            if message is None:
                raise RuntimeError("the server closed its output")
            if message["method"] in ("window/logMessage", "window/showMessage") and args.log:
                print("  log:", message["params"]["message"][:300], flush=True)
            if message["method"] == "textDocument/publishDiagnostics":
                diagnostics[message["params"]["uri"]] = (server.since_start(), message["params"]["diagnostics"])

    if args.complete:
        name, at = position(args.complete, texts)
        params = {"textDocument": {"uri": uri(name)}, "position": at, "context": {"triggerKind": 1}}
        deadline = time.monotonic() + args.timeout
        tries, seen = 0, []
        while True:
            tries += 1
            try:
                completion, _ = server.request("textDocument/completion", params, timeout=args.timeout)
                seen = labels(completion)
            except RuntimeError as error:  # a server still loading may refuse (ContentModified, not ready, ...)
                seen = []
                result["completionError"] = str(error)
            if all(label in seen for label in args.expect) and seen:
                break
            drain(0.0)
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        result["firstCompletionS"] = round(server.since_start(), 3)
        drain(0.0)
        result["firstCompletionTries"] = tries
        result["completionCount"] = len(seen)
        result["completionLabels"] = seen[:args.show]
        shown = [label for label in args.expect if label in seen] + [label for label in seen if label not in args.expect]
        print(f"completion at {args.complete}: {len(seen)} items after {result['firstCompletionS']} s ({tries} tries): "
              f"{', '.join(shown[:args.show])}", flush=True)
        missing = [label for label in args.expect if label not in seen]
        if missing:
            fail(f"completion lacks {missing}")
        warm = []
        for i in range(args.warm):
            # An edit that leaves the position as it is (a blank line at the end), so the server works as it would
            # while someone types, then the same completion.
            text = texts[name] + "\n" * ((i % 2) + 1)
            server.notify("textDocument/didChange", {"textDocument": {"uri": uri(name), "version": i + 2}, "contentChanges": [{"text": text}]})
            _, took = server.request("textDocument/completion", params, timeout=args.timeout)
            warm.append(took * 1000)
            drain(0.0)
        if warm:
            ordered = sorted(warm)
            result["warmCompletionMs"] = {"n": len(ordered), "p50": round(ordered[len(ordered) // 2], 1),
                                          "min": round(ordered[0], 1), "max": round(ordered[-1], 1)}
            print(f"warm completion: p50 {result['warmCompletionMs']['p50']} ms, min {result['warmCompletionMs']['min']}, "
                  f"max {result['warmCompletionMs']['max']} ({len(ordered)} after a didChange)", flush=True)

    if args.hover:
        name, at = position(args.hover, texts)
        hover, took = server.request("textDocument/hover", {"textDocument": {"uri": uri(name)}, "position": at})
        text = hover_text(hover).strip()
        result["hover"] = text
        result["hoverMs"] = round(took * 1000, 1)
        print(f"hover at {args.hover} ({result['hoverMs']} ms): {text[:300]!r}", flush=True)
        if not text:
            fail("no hover")

    if args.definition:
        name, at = position(args.definition, texts)
        found, took = server.request("textDocument/definition", {"textDocument": {"uri": uri(name)}, "position": at})
        found = [found] if isinstance(found, dict) else (found or [])
        places = [f"{(place.get('uri') or place.get('targetUri'))[len(ROOT_URI) + 1:]}:"
                  f"{(place.get('range') or place.get('targetSelectionRange'))['start']['line'] + 1}" for place in found]
        result["definition"] = places
        print(f"definition at {args.definition} ({took * 1000:.1f} ms): {', '.join(places) or 'none'}", flush=True)
        if args.definition_in and not any(place.split(":")[0] == args.definition_in for place in places):
            fail(f"no definition in {args.definition_in}")

    result["diagnostics"] = {}
    for name in args.diagnostics:
        deadline = time.monotonic() + args.timeout
        while not diagnostics.get(uri(name), (0, []))[1] and time.monotonic() < deadline:
            drain(0.2)
        when, found = diagnostics.get(uri(name), (None, []))
        shown = [f"{d['range']['start']['line'] + 1}:{d['range']['start']['character'] + 1} "
                 f"{ {1: 'error', 2: 'warning', 3: 'info', 4: 'hint'}.get(d.get('severity'), '?') } "
                 f"[{d.get('source', '')}{' ' + str(d['code']) if d.get('code') else ''}] {d['message'].splitlines()[0]}"
                 for d in found]
        result["diagnostics"][name] = {"atS": round(when, 3) if when else None, "items": shown}
        print(f"diagnostics of {name}" + (f" at {when:.2f} s" if when else "") + ":", flush=True)
        for line in shown:
            print("  " + line, flush=True)
        if not found:
            fail(f"no diagnostics for {name}")


ROOT_URI = ""

if __name__ == "__main__":
    sys.exit(main())
