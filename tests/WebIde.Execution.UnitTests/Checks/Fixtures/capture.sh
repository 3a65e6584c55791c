#!/usr/bin/env bash
# Regenerates the checker outputs these tests parse: for every case below, the project in <language>/<case>/
# is copied into a fresh sandbox of the runner image (read-only root, tmpfs /sandbox as the working directory,
# uid 10000, no network — as the execution service runs it), the command is run there, and its combined
# stdout+stderr is kept as <language>/<case>.out and the command itself as <language>/<case>.argv.json.
# The commands are written out here as CheckCommands.For builds them (the Python and Go scripts are read from
# PythonCheck.cs and GoCheck.cs); CheckFixtureTests asserts that For still builds exactly the recorded argv.
#
# Usage: tests/WebIde.Execution.UnitTests/Checks/Fixtures/capture.sh [image]   (needs docker; default image below)
set -euo pipefail
cd "$(dirname "$0")"
image=${1:-webide-runner:d5891459e750}
checks=../../../../services/Execution/Checks

# The body of a C# raw string literal `Script = """ ... """;`, dedented.
script_of() { awk '/Script = """$/ { inside = 1; next } inside && /^ *""";$/ { exit } inside { sub(/^        /, ""); print }' "$1"; }
PY=$(script_of "$checks/PythonCheck.cs")
GO=$(script_of "$checks/GoCheck.cs")

sandbox() {
  docker run --rm -i --network none --read-only --user 10000:10000 \
    --tmpfs /sandbox:rw,exec,size=64m,uid=10000,gid=10000 -w /sandbox \
    -e HOME=/sandbox/.home -e TMPDIR=/sandbox/.tmp -e GOCACHE=/sandbox/.cache/go-build "$@"
}

# capture <language>/<case> <argv...>
capture() {
  local case=$1; shift
  echo "$case" >&2
  tar -C "$case" -cf - . | sandbox --entrypoint bash "$image" -c 'tar -xf - && { "$@"; } 2>&1; exit 0' capture "$@" > "$case.out"
  sandbox --entrypoint python3 "$image" -c 'import json, sys; print(json.dumps(sys.argv[1:], indent=1))' "$@" < /dev/null > "$case.argv.json"
}

python() { capture "python/$1" python3 -I -c "$PY" "$2"; }
for case in clean syntax multi warning unicode other-file; do python $case src/main.py; done

for case in clean syntax multi module unicode other-file; do capture "javascript/$case" node --check src/main.js; done

TSC=(tsc --noEmit --pretty false --strict --target es2020 --module commonjs --esModuleInterop --skipLibCheck --typeRoots /usr/share/nodejs/@types --types node)
for case in clean syntax multi unicode other-file; do capture "typescript/$case" "${TSC[@]}" src/main.ts; done

GCC=(-fsyntax-only -Wall -Wextra -fdiagnostics-format=json)
for case in syntax multi warning unicode; do capture "c/$case" gcc "${GCC[@]}" src/main.c; done
for case in clean other-file; do capture "c/$case" gcc "${GCC[@]}" -iquote include src/main.c; done
for case in clean syntax unicode; do capture "cpp/$case" g++ "${GCC[@]}" src/main.cpp; done
for case in multi other-file; do capture "cpp/$case" g++ "${GCC[@]}" -iquote include src/main.cpp; done
capture cpp/header g++ "${GCC[@]}" -iquote include include/a.hpp

JAVAC=(javac -d /sandbox/.check/java -encoding UTF-8 -Xlint:all,-serial -proc:none)
for case in syntax multi warning unicode; do capture "java/$case" "${JAVAC[@]}" src/app/Main.java; done
for case in clean other-file; do capture "java/$case" "${JAVAC[@]}" src/app/Main.java src/app/Util.java; done

for case in syntax multi warning unicode; do capture "go/$case" bash -c "$GO" go-check . off src/main.go; done
for case in clean other-file; do capture "go/$case" bash -c "$GO" go-check . off src/main.go src/util.go; done
capture go/beside-c bash -c "$GO" go-check . off src/main.go src/util.go
capture go/tests bash -c "$GO" go-check . off src/main.go src/main_test.go
capture go/module bash -c "$GO" go-check svc on cmd/main.go

RUSTC=(rustc --edition 2021 --crate-type bin --crate-name check --emit=metadata --error-format=json --out-dir /sandbox/.check/rust)
for case in clean syntax multi warning unicode other-file module; do capture "rust/$case" "${RUSTC[@]}" src/main.rs; done

for case in clean syntax multi warning unicode other-file; do capture "bash/$case" bash -n src/main.sh; done
